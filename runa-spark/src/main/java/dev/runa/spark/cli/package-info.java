/**
 * The picocli front end of the Spark module ({@code spark-score}, {@code spark-detect}, {@code spark-calibrate},
 * {@code bench spark}): commands parse options, call {@code dev.runa.spark}, and print.
 */
package dev.runa.spark.cli;
