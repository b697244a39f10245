package dev.runa.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.when;

import dev.runa.data.LabelSet;
import dev.runa.detect.DetectAndScore;
import dev.runa.detect.DetectorException;
import dev.runa.detect.DetectorGraph;
import dev.runa.ood.Calibration;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.ScoreKind;
import dev.runa.ood.ScoringSettings;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * RUNA on Apache Spark: scores a table of detector boxes on the executors, detects and scores a
 * table of images (the detector in the loop, as {@code runa detect}), and fits the ID/OOD threshold
 * over a table of ID boxes exactly as {@code runa calibrate} does.
 *
 * <p>Every executor JVM opens one {@link RunaDetector} per settings, lazily, and shares it among its
 * tasks; detectors are never serialized and are closed when the JVM exits. Boxes are spread over
 * partitions by image and sorted by image inside them, so each image is read and decoded once.
 * Stateless and thread-safe: the methods only build Spark plans and run jobs.
 *
 * <pre>{@code
 * Dataset<Row> boxes = spark.read().parquet("s3a://lake/detections");   // file, box, ...
 * RunaSparkSettings s = RunaSparkSettings.defaults(List.of("car", "person")).withModel("/shared/clip");
 * RunaSpark.score(boxes, s).where("error is null and maxsim < 0.2").show();
 * }</pre>
 */
public final class RunaSpark {
    private static final String SEQ = "__runa_seq";
    private static final String KEY = "__runa_key";

    private RunaSpark() {}

    /**
     * Every column of {@code detections} plus {@link ScoreColumns#NAMES}: the five ID scores,
     * {@code ood} (null without a calibration), {@code best_class}, {@code crop} and {@code error}.
     * A row whose image cannot be read or whose box is degenerate or malformed gets an {@code error}
     * and null scores; the job goes on. Lazy, like any Dataset: nothing runs until an action.
     *
     * @throws IllegalArgumentException when a column the settings name is missing or of the wrong type
     */
    public static Dataset<Row> score(Dataset<Row> detections, RunaSparkSettings settings) {
        SparkSession spark = detections.sparkSession();
        RunaSparkSettings s = resolve(spark, settings);
        String keySource =
                s.imageBytesColumn() != null && !List.of(detections.columns()).contains(s.imagePathColumn())
                        ? s.imageBytesColumn()
                        : s.imagePathColumn();
        // The sequence number keeps the rows of an image in input order whatever the shuffle does,
        // so batches (and so the last digits of fp32 scores) are reproducible.
        Dataset<Row> keyed =
                detections.withColumn(SEQ, monotonically_increasing_id()).withColumn(KEY, col(keySource));
        StructType out = ScoreColumns.appendTo(keyed.schema());
        InputLayout layout = InputLayout.of(keyed.schema(), s, KEY);
        int partitions =
                s.partitions() > 0 ? s.partitions() : 4 * spark.sparkContext().defaultParallelism();
        Dataset<Row> grouped = keyed.repartition(partitions, col(KEY)).sortWithinPartitions(col(KEY), col(SEQ));
        HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
        return grouped.mapPartitions(new PartitionScorer(s, layout, files), Encoders.row(out))
                .drop(SEQ, KEY);
    }

    /**
     * {@code runa detect} on Spark: runs the object detector on every image of {@code images} (one
     * row per image, its image in {@code settings}' path or bytes column), then RUNA on what it
     * finds. Each image is read and decoded once, in one task, and that decoded image feeds both.
     * One row per detected object: every column of {@code images}, then {@link DetectionColumns#NAMES}
     * ({@code box, category_id, label, confidence, box_index, n_boxes}), then
     * {@link ScoreColumns#NAMES}. An image without detections gives no row; an image that cannot be
     * read gives one row with null detection and score columns and its {@code error}; the job goes
     * on. Every executor JVM opens one {@link dev.runa.detect.ObjectDetector} (and one
     * {@link RunaDetector}) per settings and shares it among its tasks. Lazy, like any Dataset.
     *
     * <p>{@code settings}' class labels are RUNA's ID classes, one per detector class index (see
     * {@link #idClasses}); their count is checked against the detector here, on the driver, which
     * opens the detector once through the executors' per-JVM cache (in local mode, the one the
     * tasks then use).
     *
     * @throws IllegalArgumentException when a column the settings name is missing or of the wrong type
     * @throws DetectorException        when the detector cannot be read, is not a supported detector,
     *                                  or detects another number of classes than the settings list
     */
    public static Dataset<Row> detectAndScore(Dataset<Row> images, RunaSparkSettings settings, DetectSettings detect) {
        SparkSession spark = images.sparkSession();
        RunaSparkSettings s = resolve(spark, settings);
        DetectorGraph graph = detectorGraph(spark, detect, s.threadsPerTask());
        DetectAndScore.idClasses(graph, detect.detector(), LabelSet.of("classLabels", s.classLabels()));
        String keySource =
                s.imageBytesColumn() != null && !List.of(images.columns()).contains(s.imagePathColumn())
                        ? s.imageBytesColumn()
                        : s.imagePathColumn();
        // As in score: the sequence number fixes the order of images inside a partition whatever
        // the shuffle does, so encoder batches are reproducible.
        Dataset<Row> keyed =
                images.withColumn(SEQ, monotonically_increasing_id()).withColumn(KEY, col(keySource));
        StructType out = ScoreColumns.appendTo(DetectionColumns.appendTo(keyed.schema()));
        InputLayout layout = InputLayout.ofImages(keyed.schema(), s, KEY, "the images");
        int partitions =
                s.partitions() > 0 ? s.partitions() : 4 * spark.sparkContext().defaultParallelism();
        Dataset<Row> spread = keyed.repartition(partitions, col(KEY)).sortWithinPartitions(col(SEQ));
        HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
        return spread.mapPartitions(new PartitionDetectScorer(s, detect, layout, files), Encoders.row(out))
                .drop(SEQ, KEY);
    }

    /**
     * What the detector of {@code detect} was recognised as (format, input size, class names). Opens
     * it in this JVM (the driver) through the executors' per-JVM cache, with {@code threadsPerTask}
     * ONNX Runtime threads (0: {@code spark.task.cpus}), so a detector that cannot be read fails here,
     * before the job starts.
     *
     * @throws DetectorException naming the file when it cannot be read or is not a supported detector
     */
    public static DetectorGraph detectorGraph(SparkSession spark, DetectSettings detect, int threadsPerTask) {
        int threads = threadsPerTask > 0 ? threadsPerTask : taskCpus(spark);
        HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
        return ExecutorDetectors.objectDetector(detect, threads, files).graph();
    }

    /**
     * RUNA's ID classes for a detector, as {@code runa detect --classes} takes them: the detector's
     * own class names when {@code requested} is null (the ID set of a detector is what it was
     * trained on), else {@code requested}'s labels, which must be as many as the detector's classes.
     *
     * @throws DetectorException when the detector has no names and none are requested, or the counts differ
     */
    public static List<String> idClasses(
            SparkSession spark, DetectSettings detect, int threadsPerTask, LabelSet requested) {
        return DetectAndScore.idClasses(detectorGraph(spark, detect, threadsPerTask), detect.detector(), requested)
                .promptLabels();
    }

    /**
     * The calibration {@code runa calibrate} would write for these ID boxes: the threshold on
     * {@code settings.decisionScore()} that accepts {@code idAcceptRate} of the boxes that could be
     * scored (unscorable ones are left out, as there), found exactly (see {@link ExactThreshold}).
     *
     * @throws IllegalArgumentException when no box could be scored or the rate is outside (0, 1]
     */
    public static Calibration calibrate(Dataset<Row> detections, RunaSparkSettings settings, double idAcceptRate) {
        return calibrateCounting(detections, settings, idAcceptRate).calibration();
    }

    /**
     * A calibration and how many boxes it saw.
     *
     * @param calibration the fitted threshold
     * @param scored      boxes whose score it was fitted on
     * @param unscorable  boxes left out because they have an error
     */
    public record CalibrationRun(Calibration calibration, long scored, long unscorable) {}

    /** {@link #calibrate}, also saying how many boxes were scored and how many were left out. */
    public static CalibrationRun calibrateCounting(
            Dataset<Row> detections, RunaSparkSettings settings, double idAcceptRate) {
        if (!(idAcceptRate > 0 && idAcceptRate <= 1)) {
            throw new IllegalArgumentException("ID accept rate must lie in (0, 1], got " + idAcceptRate);
        }
        RunaSparkSettings s = resolve(detections.sparkSession(), settings).withCalibrationBytes(null);
        ScoringSettings scoring = scoringSettings(s);
        ScoreKind kind = s.decisionScore();
        String column = column(kind);
        // Scoring is the expensive part: keep the scores for the counting and selection passes.
        Dataset<Row> scores = score(detections, s)
                .select(col(column).as("score"), col(ScoreColumns.ERROR))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Row counts = scores.agg(
                            count(when(col(ScoreColumns.ERROR).isNull(), 1)),
                            count(when(col(ScoreColumns.ERROR).isNotNull(), 1)),
                            count(when(col(ScoreColumns.ERROR).isNull().and(isnan(col("score"))), 1)))
                    .first();
            long n = counts.getLong(0);
            long unscorable = counts.getLong(1);
            if (n == 0) {
                throw new IllegalArgumentException(
                        "no ID box could be scored (" + unscorable + " errors): nothing to calibrate on");
            }
            if (counts.getLong(2) > 0) {
                throw new IllegalArgumentException("an ID score is NaN: cannot calibrate");
            }
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "a calibration holds at most " + Integer.MAX_VALUE + " ID boxes; sample " + n + " down first");
            }
            Dataset<Row> ok = scores.where(col(ScoreColumns.ERROR).isNull()).select("score");
            double threshold = ExactThreshold.kthLargest(ok, "score", n, Calibration.acceptedCount(n, idAcceptRate));
            return new CalibrationRun(new Calibration(kind, threshold, idAcceptRate, (int) n, scoring), n, unscorable);
        } finally {
            scores.unpersist();
        }
    }

    /**
     * What scores under these settings depend on (what a calibration records). Opens the detector in
     * this JVM (the driver) through the same per-JVM cache the executors use, so in local mode the
     * model is loaded once; it also shows early that the model, adapter and calibration load.
     */
    public static ScoringSettings scoringSettings(RunaSparkSettings settings) {
        return ExecutorDetectors.get(settings).settings();
    }

    /** The score column {@link #score} writes for a score kind. */
    public static String column(ScoreKind kind) {
        return switch (kind) {
            case MAXSIM -> ScoreColumns.MAXSIM;
            case MCM_T1 -> ScoreColumns.MCM_T1;
            case MCM_T001 -> ScoreColumns.MCM_T0_01;
            case SUM -> ScoreColumns.SUM;
            case ENERGY_T001 -> ScoreColumns.ENERGY_T0_01;
        };
    }

    /** Fills in what the settings leave to Spark: ONNX Runtime threads per task from {@code spark.task.cpus}. */
    public static RunaSparkSettings resolve(SparkSession spark, RunaSparkSettings settings) {
        if (settings.threadsPerTask() > 0) {
            return settings;
        }
        return settings.withThreadsPerTask(taskCpus(spark));
    }

    private static int taskCpus(SparkSession spark) {
        return Math.max(1, Integer.parseInt(spark.conf().get("spark.task.cpus", "1")));
    }
}
