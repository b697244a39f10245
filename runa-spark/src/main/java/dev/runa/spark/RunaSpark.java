package dev.runa.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.when;

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
 * RUNA on Apache Spark: scores a table of detector boxes on the executors, and fits the ID/OOD
 * threshold over a table of ID boxes exactly as {@code runa calibrate} does.
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
        int cpus = Integer.parseInt(spark.conf().get("spark.task.cpus", "1"));
        return settings.withThreadsPerTask(Math.max(1, cpus));
    }
}
