package dev.runa.spark;

import dev.runa.clip.ClipLoader;
import dev.runa.clip.Precision;
import dev.runa.data.LabelSet;
import dev.runa.io.Sha256;
import dev.runa.ood.FeatureFusion;
import dev.runa.ood.PromptSet;
import dev.runa.ood.ScoreKind;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * What a Spark scoring job runs with: the detector settings every executor rebuilds its
 * {@link dev.runa.ood.RunaDetector} from, and where the job finds images and boxes in its input.
 *
 * <p>Immutable (so thread-safe) and {@link Serializable}: Spark ships it to executors inside the task closure. It
 * holds only plain values, never a detector: the adapter and calibration files are read on the
 * driver and travel as bytes, so executors need no copy of them; the model is named, and every
 * executor must be able to load it (a path they all can read, a hub id in the Hugging Face cache of
 * every node, or {@code random:NAME}).
 *
 * @param model              hub id, checkpoint directory every executor can read, or {@code random:NAME}
 * @param classLabels        the ID class labels, used verbatim in the prompt
 * @param template           prompt template with a {@code {label}} placeholder
 * @param lambda             weight of the regional view
 * @param decisionScore      the score a calibration fitted by this job applies to
 * @param adapter            contents of a {@code runa finetune} adapter file, or null
 * @param calibration        contents of a {@code runa calibrate} file, or null (then {@code ood} is null)
 * @param precision          vision encoder arithmetic
 * @param imagesPerBatch     images of a partition whose boxes share encoder calls
 * @param threadsPerTask     ONNX Runtime threads per inference; 0 takes {@code spark.task.cpus}
 * @param partitions         partitions the detections are spread over by image; 0 takes 4 per
 *                           default-parallelism slot (small rows would otherwise be coalesced into one)
 * @param imagePathColumn    string column with the image's path or URI (read through Hadoop's
 *                           FileSystem); also the image's name in errors and what boxes are grouped by
 * @param imageBytesColumn   binary column holding the encoded image (as Spark's {@code binaryFile}
 *                           source gives), or null to read {@code imagePathColumn}
 * @param boxColumn          {@code array<double>} column {@code [x1, y1, x2, y2]}, used when
 *                           {@code boxColumns} is null
 * @param boxColumns         four numeric columns x1, y1, x2, y2, or null to use {@code boxColumn}
 * @param failFirstAttemptOfPartition for tests only: the first attempt of this partition's task throws
 *                           after emitting a row, to show that Spark's retry neither loses nor
 *                           duplicates rows; -1 (always, outside tests) disables it
 */
public record RunaSparkSettings(
        String model,
        List<String> classLabels,
        String template,
        double lambda,
        ScoreKind decisionScore,
        byte[] adapter,
        byte[] calibration,
        Precision precision,
        int imagesPerBatch,
        int threadsPerTask,
        int partitions,
        String imagePathColumn,
        String imageBytesColumn,
        String boxColumn,
        List<String> boxColumns,
        int failFirstAttemptOfPartition)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Images per encoder batch, as {@code runa score} uses. */
    public static final int DEFAULT_IMAGES_PER_BATCH = 4;

    public RunaSparkSettings {
        Objects.requireNonNull(model, "model");
        classLabels = List.copyOf(classLabels);
        if (classLabels.isEmpty()) {
            throw new IllegalArgumentException("classLabels: at least one ID class is needed");
        }
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(decisionScore, "decisionScore");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(imagePathColumn, "imagePathColumn");
        Objects.requireNonNull(boxColumn, "boxColumn");
        if (boxColumns != null) {
            boxColumns = List.copyOf(boxColumns);
            if (boxColumns.size() != 4) {
                throw new IllegalArgumentException("boxColumns: expected 4 columns x1, y1, x2, y2, got " + boxColumns);
            }
        }
        if (imagesPerBatch < 1) {
            throw new IllegalArgumentException("imagesPerBatch must be >= 1, got " + imagesPerBatch);
        }
        if (threadsPerTask < 0 || partitions < 0) {
            throw new IllegalArgumentException("threadsPerTask and partitions must be >= 0 (0 = Spark's default)");
        }
        adapter = adapter == null ? null : adapter.clone();
        calibration = calibration == null ? null : calibration.clone();
    }

    /**
     * The defaults for these ID classes: the default CLIP, the default template, lambda 0.5, maxsim,
     * fp32, {@code runa score}'s batching, images in column {@code file}, boxes in column {@code box}.
     */
    public static RunaSparkSettings defaults(List<String> classLabels) {
        return new RunaSparkSettings(
                ClipLoader.DEFAULT_MODEL,
                classLabels,
                PromptSet.DEFAULT_TEMPLATE,
                FeatureFusion.DEFAULT_LAMBDA,
                ScoreKind.MAXSIM,
                null,
                null,
                Precision.FP32,
                DEFAULT_IMAGES_PER_BATCH,
                0,
                0,
                "file",
                null,
                "box",
                null,
                -1);
    }

    /** Class labels from a {@code --classes} style spec: {@code voc}, {@code bdd}, a file, or a comma list. */
    public static List<String> parseClasses(String spec) throws IOException {
        return LabelSet.parse(spec).promptLabels();
    }

    public RunaSparkSettings withModel(String m) {
        return new RunaSparkSettings(
                m,
                classLabels,
                template,
                lambda,
                decisionScore,
                adapter,
                calibration,
                precision,
                imagesPerBatch,
                threadsPerTask,
                partitions,
                imagePathColumn,
                imageBytesColumn,
                boxColumn,
                boxColumns,
                failFirstAttemptOfPartition);
    }

    public RunaSparkSettings withTemplate(String t) {
        return new RunaSparkSettings(
                model,
                classLabels,
                t,
                lambda,
                decisionScore,
                adapter,
                calibration,
                precision,
                imagesPerBatch,
                threadsPerTask,
                partitions,
                imagePathColumn,
                imageBytesColumn,
                boxColumn,
                boxColumns,
                failFirstAttemptOfPartition);
    }

    public RunaSparkSettings withLambda(double l) {
        return new RunaSparkSettings(
                model,
                classLabels,
                template,
                l,
                decisionScore,
                adapter,
                calibration,
                precision,
                imagesPerBatch,
                threadsPerTask,
                partitions,
                imagePathColumn,
                imageBytesColumn,
                boxColumn,
                boxColumns,
                failFirstAttemptOfPartition);
    }

    public RunaSparkSettings withDecisionScore(ScoreKind s) {
        return new RunaSparkSettings(
                model,
                classLabels,
                template,
                lambda,
                s,
                adapter,
                calibration,
                precision,
                imagesPerBatch,
                threadsPerTask,
                partitions,
                imagePathColumn,
                imageBytesColumn,
                boxColumn,
                boxColumns,
                failFirstAttemptOfPartition);
    }

    /** Reads the adapter file here (on the driver); null removes it. */
    public RunaSparkSettings withAdapter(Path file) throws IOException {
        return withAdapterBytes(file == null ? null : Files.readAllBytes(file));
    }

    public RunaSparkSettings withAdapterBytes(byte[] a) {
        return new RunaSparkSettings(
                model,
                classLabels,
                template,
                lambda,
                decisionScore,
                a,
                calibration,
                precision,
                imagesPerBatch,
                threadsPerTask,
                partitions,
                imagePathColumn,
                imageBytesColumn,
                boxColumn,
                boxColumns,
                failFirstAttemptOfPartition);
    }

    /** Reads the calibration file here (on the driver); null removes it. */
    public RunaSparkSettings withCalibration(Path file) throws IOException {
        return withCalibrationBytes(file == null ? null : Files.readAllBytes(file));
    }

    public RunaSparkSettings withCalibrationBytes(byte[] c) {
        return new RunaSparkSettings(
                model,
                classLabels,
                template,
                lambda,
                decisionScore,
                adapter,
                c,
                precision,
                imagesPerBatch,
                threadsPerTask,
                partitions,
                imagePathColumn,
                imageBytesColumn,
                boxColumn,
                boxColumns,
                failFirstAttemptOfPartition);
    }

    public RunaSparkSettings withPrecision(Precision p) {
        return new RunaSparkSettings(
                model,
                classLabels,
                template,
                lambda,
                decisionScore,
                adapter,
                calibration,
                p,
                imagesPerBatch,
                threadsPerTask,
                partitions,
                imagePathColumn,
                imageBytesColumn,
                boxColumn,
                boxColumns,
                failFirstAttemptOfPartition);
    }

    public RunaSparkSettings withImagesPerBatch(int n) {
        return new RunaSparkSettings(
                model,
                classLabels,
                template,
                lambda,
                decisionScore,
                adapter,
                calibration,
                precision,
                n,
                threadsPerTask,
                partitions,
                imagePathColumn,
                imageBytesColumn,
                boxColumn,
                boxColumns,
                failFirstAttemptOfPartition);
    }

    public RunaSparkSettings withThreadsPerTask(int n) {
        return new RunaSparkSettings(
                model,
                classLabels,
                template,
                lambda,
                decisionScore,
                adapter,
                calibration,
                precision,
                imagesPerBatch,
                n,
                partitions,
                imagePathColumn,
                imageBytesColumn,
                boxColumn,
                boxColumns,
                failFirstAttemptOfPartition);
    }

    public RunaSparkSettings withPartitions(int n) {
        return new RunaSparkSettings(
                model,
                classLabels,
                template,
                lambda,
                decisionScore,
                adapter,
                calibration,
                precision,
                imagesPerBatch,
                threadsPerTask,
                n,
                imagePathColumn,
                imageBytesColumn,
                boxColumn,
                boxColumns,
                failFirstAttemptOfPartition);
    }

    /** Images are read from this path/URI column. */
    public RunaSparkSettings withImagePathColumn(String c) {
        return new RunaSparkSettings(
                model,
                classLabels,
                template,
                lambda,
                decisionScore,
                adapter,
                calibration,
                precision,
                imagesPerBatch,
                threadsPerTask,
                partitions,
                c,
                null,
                boxColumn,
                boxColumns,
                failFirstAttemptOfPartition);
    }

    /**
     * Images come from this binary column (e.g. {@code content} of Spark's {@code binaryFile}
     * source); {@code nameColumn} names them in errors and groups boxes by image (e.g. {@code path}).
     */
    public RunaSparkSettings withImageBytesColumn(String bytesColumn, String nameColumn) {
        return new RunaSparkSettings(
                model,
                classLabels,
                template,
                lambda,
                decisionScore,
                adapter,
                calibration,
                precision,
                imagesPerBatch,
                threadsPerTask,
                partitions,
                nameColumn,
                bytesColumn,
                boxColumn,
                boxColumns,
                failFirstAttemptOfPartition);
    }

    /** Boxes are one {@code array<double>} column {@code [x1, y1, x2, y2]}. */
    public RunaSparkSettings withBoxColumn(String c) {
        return new RunaSparkSettings(
                model,
                classLabels,
                template,
                lambda,
                decisionScore,
                adapter,
                calibration,
                precision,
                imagesPerBatch,
                threadsPerTask,
                partitions,
                imagePathColumn,
                imageBytesColumn,
                c,
                null,
                failFirstAttemptOfPartition);
    }

    /** Boxes are four numeric columns. */
    public RunaSparkSettings withBoxColumns(String x1, String y1, String x2, String y2) {
        return new RunaSparkSettings(
                model,
                classLabels,
                template,
                lambda,
                decisionScore,
                adapter,
                calibration,
                precision,
                imagesPerBatch,
                threadsPerTask,
                partitions,
                imagePathColumn,
                imageBytesColumn,
                boxColumn,
                List.of(x1, y1, x2, y2),
                failFirstAttemptOfPartition);
    }

    /** For tests only: see {@code failFirstAttemptOfPartition}. */
    public RunaSparkSettings withFailFirstAttemptOfPartition(int partition) {
        return new RunaSparkSettings(
                model,
                classLabels,
                template,
                lambda,
                decisionScore,
                adapter,
                calibration,
                precision,
                imagesPerBatch,
                threadsPerTask,
                partitions,
                imagePathColumn,
                imageBytesColumn,
                boxColumn,
                boxColumns,
                partition);
    }

    /** The adapter file's contents (a copy), or null. */
    @Override
    public byte[] adapter() {
        return adapter == null ? null : adapter.clone();
    }

    /** The calibration file's contents (a copy), or null. */
    @Override
    public byte[] calibration() {
        return calibration == null ? null : calibration.clone();
    }

    /**
     * What a detector built from these settings depends on (model, prompts, fusion, adapter and
     * calibration contents, precision, threads): executors share one detector per key.
     */
    public String detectorKey() {
        MessageDigest md = Sha256.newDigest();
        for (String part : List.of(
                model,
                String.join("\n", classLabels),
                template,
                Double.toString(lambda),
                decisionScore.key(),
                precision.name(),
                Integer.toString(threadsPerTask))) {
            md.update(part.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
        }
        md.update(adapter == null ? new byte[] {1} : adapter);
        md.update((byte) 0);
        md.update(calibration == null ? new byte[] {1} : calibration);
        return Sha256.hex(md);
    }

    // Records compare arrays by identity; settings are values.
    @Override
    public boolean equals(Object o) {
        return o instanceof RunaSparkSettings s
                && detectorKey().equals(s.detectorKey())
                && imagesPerBatch == s.imagesPerBatch
                && partitions == s.partitions
                && imagePathColumn.equals(s.imagePathColumn)
                && Objects.equals(imageBytesColumn, s.imageBytesColumn)
                && boxColumn.equals(s.boxColumn)
                && Objects.equals(boxColumns, s.boxColumns)
                && failFirstAttemptOfPartition == s.failFirstAttemptOfPartition;
    }

    @Override
    public int hashCode() {
        return detectorKey().hashCode();
    }

    @Override
    public String toString() {
        return "RunaSparkSettings[model=" + model + ", classes=" + classLabels + ", lambda=" + lambda + ", adapter="
                + (adapter == null ? "none" : adapter.length + " bytes") + ", calibration="
                + (calibration == null ? "none" : calibration.length + " bytes") + ", precision=" + precision
                + ", imagesPerBatch=" + imagesPerBatch + ", threadsPerTask=" + threadsPerTask + ", partitions="
                + partitions + "]";
    }
}
