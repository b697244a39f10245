package dev.runa.spark.table;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.runa.batch.DetectedBox;
import dev.runa.batch.ScoringJob;
import dev.runa.batch.ScoringJobs;
import dev.runa.data.Box;
import dev.runa.data.MalformedDataException;
import dev.runa.spark.ScoreColumns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Detections as a Spark table in the layout {@link dev.runa.spark.RunaSpark#score} reads by default:
 * {@code file} (path or URI), {@code box} ({@code [x1, y1, x2, y2]}), and what the detector said
 * ({@code image_id, category_id, label, confidence}) plus the row's place in a {@code runa score} run
 * ({@code image_index, box_index, n_boxes}; null where unknown).
 */
public final class DetectionTables {
    /** The columns of a detections table, in order. */
    public static final StructType SCHEMA = new StructType()
            .add("file", DataTypes.StringType, false)
            .add("box", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("image_id", DataTypes.StringType, true)
            .add("category_id", DataTypes.IntegerType, true)
            .add("label", DataTypes.StringType, true)
            .add("confidence", DataTypes.DoubleType, true)
            .add("image_index", DataTypes.IntegerType, true)
            .add("box_index", DataTypes.IntegerType, true)
            .add("n_boxes", DataTypes.IntegerType, true);

    private DetectionTables() {}

    /**
     * {@code detections} read as {@code runa score} reads it: a COCO results JSON (with
     * {@code imageList}), or a Parquet table (a directory or {@code .parquet} file) with columns
     * {@code file} and {@code box} and optionally {@code image_id}, {@code category_id},
     * {@code confidence}. Relative files are resolved against {@code images} (a folder or a URI).
     *
     * @throws MalformedDataException when a file or column is missing or malformed, naming it
     */
    public static Dataset<Row> read(
            SparkSession spark, String images, String detections, Path imageList, double minConfidence)
            throws IOException {
        if (isParquet(detections)) {
            return fromParquet(spark, detections, images, minConfidence);
        }
        if (imageList == null) {
            throw new IllegalArgumentException(
                    "COCO results " + detections + " need the image list that maps their image ids to files");
        }
        if (!isUri(images)) {
            // Exactly runa score's jobs and file names.
            return fromCoco(
                    spark, ScoringJobs.fromCoco(Path.of(images), Path.of(detections), imageList, minConfidence));
        }
        // java.nio would fold hdfs://host/ into hdfs:/host/: resolve the list's names as strings.
        Dataset<Row> relative =
                fromCoco(spark, ScoringJobs.fromCoco(Path.of(""), Path.of(detections), imageList, minConfidence));
        return relative.withColumn("file", concat(lit(withSlash(images)), col("file")));
    }

    static boolean isUri(String location) {
        return location.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*");
    }

    static String withSlash(String dir) {
        return dir.endsWith("/") ? dir : dir + "/";
    }

    /** True when {@code location} names a Parquet table rather than a COCO results JSON. */
    static boolean isParquet(String location) {
        if (location.contains("://")) {
            return !location.endsWith(".json");
        }
        Path p = Path.of(location);
        return Files.isDirectory(p) || location.endsWith(".parquet");
    }

    /** The boxes of {@code runa score}'s jobs, one row each, in the same order and with the same file names. */
    public static Dataset<Row> fromCoco(SparkSession spark, ScoringJobs jobs) {
        List<Row> rows = new ArrayList<>(jobs.boxes());
        for (ScoringJob job : jobs.jobs()) {
            for (int b = 0; b < job.boxes().size(); b++) {
                DetectedBox d = job.boxes().get(b);
                Box x = d.box();
                rows.add(RowFactory.create(
                        job.file().toString(),
                        ScoreColumns.seq(List.of(x.x1(), x.y1(), x.x2(), x.y2())),
                        job.imageId(),
                        d.categoryId(),
                        d.label(),
                        d.confidence(),
                        job.index(),
                        b,
                        job.boxes().size()));
            }
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    /**
     * A Parquet detections table in {@link #SCHEMA}'s layout: missing optional columns are null,
     * relative files are resolved against {@code imagesDir} (when given), and rows whose confidence
     * is below {@code minConfidence} are dropped.
     */
    public static Dataset<Row> fromParquet(SparkSession spark, String location, String imagesDir, double minConfidence)
            throws MalformedDataException {
        Dataset<Row> t = spark.read().parquet(location);
        List<String> have = List.of(t.columns());
        for (String required : List.of("file", "box")) {
            if (!have.contains(required)) {
                throw new MalformedDataException(
                        location + ": the detections table has no column '" + required + "' (columns: " + have + ")");
            }
        }
        List<Column> cols = new ArrayList<>();
        cols.add(resolvedFile(imagesDir).as("file"));
        cols.add(
                col("box").cast(DataTypes.createArrayType(DataTypes.DoubleType)).as("box"));
        for (var f : SCHEMA.fields()) {
            if (f.name().equals("file") || f.name().equals("box")) {
                continue;
            }
            cols.add(optional(have, f.name(), f.dataType()));
        }
        Dataset<Row> out = t.select(cols.toArray(Column[]::new));
        if (minConfidence > 0) {
            out = out.where(col("confidence").isNull().or(col("confidence").geq(minConfidence)));
        }
        return out;
    }

    /** Column {@code file} as a string, a relative path resolved against {@code imagesDir} when given. */
    static Column resolvedFile(String imagesDir) {
        Column file = col("file").cast(DataTypes.StringType);
        if (imagesDir == null) {
            return file;
        }
        String base = withSlash(imagesDir);
        // Absolute paths and URIs (file:, hdfs:, s3a:) are used as they are.
        return when(file.rlike("^(/|[A-Za-z][A-Za-z0-9+.-]*:)"), file).otherwise(concat(lit(base), file));
    }

    /** Column {@code name} cast to {@code type}, or a null of that type when the table has no such column. */
    static Column optional(List<String> have, String name, DataType type) {
        return (have.contains(name) ? col(name).cast(type) : lit(null).cast(type)).as(name);
    }
}
