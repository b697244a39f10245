/**
 * Tables around a Spark scoring job: detections read as {@code runa score} reads them (COCO results
 * with an image list, or Parquet), and scored rows in {@code runa score}'s row layout, written
 * through Spark's output committer.
 */
package dev.runa.spark.table;
