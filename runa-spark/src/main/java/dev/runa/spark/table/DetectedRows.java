package dev.runa.spark.table;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.runa.spark.DetectionColumns;
import dev.runa.spark.ScoreColumns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The rows of {@link dev.runa.spark.RunaSpark#detectAndScore} over an {@link ImageTables} table,
 * written as {@code runa detect} writes them: {@link ScoreRows}' layout, with {@code image_index}
 * the image's place among the images with detections, in {@code position} order, as
 * {@code runa detect} numbers them (null for an image's error row).
 */
public final class DetectedRows {
    private static final StructType INDEX = new StructType()
            .add("position", DataTypes.LongType, false)
            .add("image_index", DataTypes.IntegerType, false);

    private DetectedRows() {}

    /**
     * Writes {@code detected} to {@code out} as {@link ScoreRows#write} does and counts what it
     * wrote. Numbering the images needs to know which images have detections before writing, so the
     * rows (without any image bytes) are kept (memory and disk) for the two passes: detection and
     * scoring run once. Without a {@code position} column {@code image_index} is null; without an
     * {@code image_id} column, so is {@code image_id}.
     *
     * @throws ScoreRows.OutputExistsException when {@code out} exists and {@code overwrite} is false,
     *                                         before any work
     */
    public static ScoreRows.Counts write(Dataset<Row> detected, String out, ScoreRows.Format format, boolean overwrite)
            throws IOException {
        ScoreRows.requireAbsent(detected.sparkSession(), out, overwrite);
        List<String> have = List.of(detected.columns());
        List<Column> keep = new ArrayList<>();
        keep.add(col("file"));
        keep.add(
                have.contains("image_id")
                        ? col("image_id").cast(DataTypes.StringType).as("image_id")
                        : nullString("image_id"));
        keep.add(
                have.contains("position")
                        ? col("position").cast(DataTypes.LongType).as("position")
                        : lit(null).cast(DataTypes.LongType).as("position"));
        DetectionColumns.NAMES.forEach(c -> keep.add(col(c)));
        ScoreColumns.NAMES.forEach(c -> keep.add(col(c)));
        Dataset<Row> rows = detected.select(keep.toArray(Column[]::new)).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> indexed = have.contains("position")
                    ? rows.join(imageIndex(rows), rows.col("position").equalTo(col("i.position")), "left")
                            .select(withIndex(rows))
                    : rows.withColumn("image_index", lit(null).cast(DataTypes.IntegerType));
            ScoreRows.write(ScoreRows.of(indexed), out, format, overwrite);
        } finally {
            rows.unpersist();
        }
        return ScoreRows.countWritten(detected.sparkSession(), out, format);
    }

    // position -> 0-based index among the images with detections, in position order.
    private static Dataset<Row> imageIndex(Dataset<Row> rows) {
        JavaRDD<Row> index = rows.where(col(DetectionColumns.BOX).isNotNull())
                .select("position")
                .distinct()
                .orderBy("position")
                .javaRDD()
                .zipWithIndex()
                .map(r -> RowFactory.create(r._1().getLong(0), Math.toIntExact(r._2())));
        return rows.sparkSession().createDataFrame(index, INDEX).as("i");
    }

    private static Column[] withIndex(Dataset<Row> rows) {
        List<Column> cols = new ArrayList<>();
        for (String c : rows.columns()) {
            cols.add(rows.col(c));
        }
        cols.add(col("i.image_index"));
        return cols.toArray(Column[]::new);
    }

    private static Column nullString(String name) {
        return lit(null).cast(DataTypes.StringType).as(name);
    }
}
