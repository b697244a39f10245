/**
 * RUNA on Apache Spark: {@link dev.runa.spark.RunaSpark#score} scores a table of boxes on the
 * executors (one {@link dev.runa.ood.RunaDetector} per executor JVM and settings, boxes grouped by
 * image), {@link dev.runa.spark.RunaSpark#detectAndScore} runs an object detector and then RUNA on a
 * table of images (one {@link dev.runa.detect.ObjectDetector} per executor JVM and settings, each
 * image decoded once), {@link dev.runa.spark.RunaSpark#calibrate} fits the ID/OOD threshold exactly.
 * Any table with an image column (path/URI or bytes) and a box column is input to scoring.
 * Depends on runa-core and Spark (provided) only.
 */
package dev.runa.spark;
