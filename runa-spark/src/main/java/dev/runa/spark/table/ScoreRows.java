package dev.runa.spark.table;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.runa.ood.ScoreKind;
import dev.runa.spark.RunaSpark;
import dev.runa.spark.ScoreColumns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Scored detections in the row layout of {@code runa score} ({@link dev.runa.output.JsonLinesFormat}):
 * {@code file, box, scores {maxsim, mcm_t1, mcm_t0.01, sum, energy_t0.01}, ood, best_class, crop,
 * error, image_index, box_index, n_boxes, image_id, category_id, label, confidence}, and writing
 * them through Spark's output committer.
 */
public final class ScoreRows {
    private ScoreRows() {}

    /** Output formats: Parquet, or JSON part files (one row per line). */
    public enum Format {
        PARQUET,
        JSON;

        /** Parses {@code parquet} or {@code json}. */
        public static Format parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown output format '" + name + "' (known: parquet, json)");
            }
        }
    }

    /** An output directory that already holds something. */
    public static final class OutputExistsException extends IOException {
        private static final long serialVersionUID = 1L;

        public OutputExistsException(String dir) {
            super(dir + " already exists (the output of an earlier run?); runs never write into an existing output");
        }
    }

    /** {@code scored} (from {@link RunaSpark#score} over a {@link DetectionTables} table) in the score-row layout. */
    public static Dataset<Row> of(Dataset<Row> scored) {
        List<Column> scores = new ArrayList<>();
        for (ScoreKind k : ScoreKind.values()) {
            scores.add(col(RunaSpark.column(k)).as(k.key()));
        }
        List<Column> cols = new ArrayList<>();
        cols.add(col("file"));
        cols.add(col("box"));
        cols.add(when(col(ScoreColumns.ERROR).isNull(), struct(scores.toArray(Column[]::new)))
                .as("scores"));
        for (String c : List.of(
                ScoreColumns.OOD,
                ScoreColumns.BEST_CLASS,
                ScoreColumns.CROP,
                ScoreColumns.ERROR,
                "image_index",
                "box_index",
                "n_boxes",
                "image_id",
                "category_id",
                "label",
                "confidence")) {
            cols.add(col(c));
        }
        return scored.select(cols.toArray(Column[]::new));
    }

    /**
     * Writes {@code rows} to the directory {@code out} through Spark's committer: the part files
     * appear only when the job succeeds, and a retried task's output replaces its failed attempt's.
     * Without {@code overwrite} an existing {@code out} is refused before any work; with it the old
     * output is removed first, so a directory never holds rows of two runs.
     *
     * @throws OutputExistsException when {@code out} exists and {@code overwrite} is false
     */
    public static void write(Dataset<Row> rows, String out, Format format, boolean overwrite) throws IOException {
        requireAbsent(rows.sparkSession(), out, overwrite);
        var writer = rows.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists);
        switch (format) {
            case PARQUET -> writer.parquet(out);
            // Null fields are written (as runa score writes "ood": null), not dropped.
            case JSON -> writer.option("ignoreNullFields", "false").json(out);
        }
    }

    /**
     * Refuses an existing {@code out} unless {@code overwrite}: callers that do work before
     * {@link #write} check first.
     *
     * @throws OutputExistsException when {@code out} exists and {@code overwrite} is false
     */
    public static void requireAbsent(SparkSession spark, String out, boolean overwrite) throws IOException {
        Path p = new Path(out);
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!overwrite && fs.exists(p)) {
            throw new OutputExistsException(out);
        }
    }

    /**
     * Rows and errors of a written output.
     *
     * @param rows   rows (boxes)
     * @param errors rows with an {@code error}
     */
    public record Counts(long rows, long errors) {}

    /** Counts the rows and errors of an output written by {@link #write}, reading it back. */
    public static Counts countWritten(SparkSession spark, String out, Format format) {
        Row r = spark.read()
                .format(format.name().toLowerCase(Locale.ROOT))
                .load(out)
                .agg(count(lit(1)), count(col(ScoreColumns.ERROR)))
                .first();
        return new Counts(r.getLong(0), r.getLong(1));
    }
}
