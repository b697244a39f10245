/**
 * Tables around a Spark job: detections read as {@code runa score} reads them (COCO results with an
 * image list, or Parquet), images listed as {@code runa detect} lists them, and scored rows in
 * {@code runa score}'s and {@code runa detect}'s row layout, written through Spark's output committer.
 */
package dev.runa.spark.table;
