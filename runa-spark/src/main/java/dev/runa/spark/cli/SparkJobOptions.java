package dev.runa.spark.cli;

import dev.runa.spark.RunaSparkSettings;
import dev.runa.spark.table.DetectionTables;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options {@code spark-score} and {@code spark-calibrate} share: the boxes, and the RUNA job's settings. */
final class SparkJobOptions {
    @Option(
            names = "--images",
            required = true,
            paramLabel = "DIR",
            description = "Folder or URI the image list's file_names (or the table's relative files) are in")
    String images;

    @Option(
            names = "--detections",
            required = true,
            paramLabel = "F",
            description = "COCO results JSON [{image_id, category_id, bbox [x,y,w,h], score}], or a Parquet table"
                    + " (directory or .parquet) with columns file, box [x1,y1,x2,y2] (optional image_id, category_id,"
                    + " confidence)")
    String detections;

    @Option(
            names = "--image-list",
            paramLabel = "GT.json",
            description = "COCO-style JSON whose images map ids to file names (needed with COCO results)")
    Path imageList;

    @Option(
            names = "--min-confidence",
            defaultValue = "0",
            paramLabel = "C",
            description = "Drop detections with a lower detector confidence (default: ${DEFAULT-VALUE}, keep all)")
    double minConfidence;

    @Mixin
    SparkSettingsOptions runa;

    SparkSession session(String appName) {
        return runa.session(appName);
    }

    RunaSparkSettings settings() throws IOException {
        return runa.settings(RunaSparkSettings.parseClasses(runa.classes()));
    }

    Dataset<Row> detections(SparkSession spark) throws IOException {
        return DetectionTables.read(spark, images, detections, imageList, minConfidence);
    }
}
