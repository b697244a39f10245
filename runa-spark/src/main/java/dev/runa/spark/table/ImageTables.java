package dev.runa.spark.table;

import static org.apache.spark.sql.functions.col;

import dev.runa.data.MalformedDataException;
import dev.runa.detect.DetectAndScore;
import dev.runa.detect.ImageFolder;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Tables of images for {@link dev.runa.spark.RunaSpark#detectAndScore}, in the order and with the
 * ids {@code runa detect} gives them: {@code file} (path or URI), {@code image_id} and
 * {@code position} (0-based place in the run; {@link DetectedRows} numbers images by it).
 */
public final class ImageTables {
    /** The columns of an images table, in order. */
    public static final StructType SCHEMA = new StructType()
            .add("file", DataTypes.StringType, false)
            .add("image_id", DataTypes.StringType, true)
            .add("position", DataTypes.LongType, false);

    private ImageTables() {}

    /**
     * The images of a folder as {@code runa detect --images DIR} takes them: the {@code .jpg},
     * {@code .jpeg} and {@code .png} files directly in it, by name; {@code image_id} is the position
     * plus one. A local folder's files are named as {@code runa detect} names them; a URI
     * ({@code hdfs:}, {@code s3a:}) is listed through Hadoop's FileSystem.
     *
     * @throws NoSuchFileException when the folder does not exist
     * @throws IllegalArgumentException when it holds no image
     */
    public static Dataset<Row> ofFolder(SparkSession spark, String dir) throws IOException {
        List<String> files = new ArrayList<>();
        if (DetectionTables.isUri(dir)) {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.getFileStatus(p).isDirectory()) {
                throw new NoSuchFileException(dir, null, "not a folder");
            }
            List<String> names = new ArrayList<>();
            for (FileStatus f : fs.listStatus(p)) {
                if (f.isFile() && ImageFolder.isImageName(f.getPath().getName())) {
                    names.add(f.getPath().getName());
                }
            }
            names.sort(null);
            names.forEach(n -> files.add(DetectionTables.withSlash(dir) + n));
        } else {
            ImageFolder.list(Path.of(dir)).forEach(f -> files.add(f.toString()));
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no .jpg, .jpeg or .png files");
        }
        List<Row> rows = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            rows.add(RowFactory.create(files.get(i), DetectAndScore.imageId(i), (long) i));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    /**
     * A Parquet table of images (a directory or {@code .parquet} file) with a column {@code file}
     * and optionally {@code image_id}: relative files are resolved against {@code imagesDir} (when
     * given), images are placed in the order of their resolved {@code file} (as a folder is, by
     * name), and a missing {@code image_id} is the position plus one.
     *
     * @throws MalformedDataException when the table has no {@code file} column
     */
    public static Dataset<Row> fromParquet(SparkSession spark, String location, String imagesDir)
            throws MalformedDataException {
        Dataset<Row> t = spark.read().parquet(location);
        List<String> have = List.of(t.columns());
        if (!have.contains("file")) {
            throw new MalformedDataException(
                    location + ": the images table has no column 'file' (columns: " + have + ")");
        }
        Dataset<Row> sorted = t.select(
                        DetectionTables.resolvedFile(imagesDir).as("file"),
                        DetectionTables.optional(have, "image_id", DataTypes.StringType))
                .orderBy(col("file"));
        // zipWithIndex numbers the rows in the sorted order, across partitions.
        JavaRDD<Row> numbered = sorted.javaRDD().zipWithIndex().map(r -> {
            long position = r._2();
            String id = r._1().isNullAt(1) ? DetectAndScore.imageId((int) position) : r._1().getString(1);
            return RowFactory.create(r._1().getString(0), id, position);
        });
        return spark.createDataFrame(numbered, SCHEMA);
    }
}
