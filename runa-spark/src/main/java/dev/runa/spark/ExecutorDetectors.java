package dev.runa.spark;

import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.detect.DetectorException;
import dev.runa.detect.ObjectDetector;
import dev.runa.ood.Calibration;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.setup.DetectorSettings;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The detectors of this JVM: one {@link RunaDetector} per {@link RunaSparkSettings#detectorKey()}
 * and one {@link ObjectDetector} per {@link DetectSettings} and thread count, each opened lazily by
 * the first task that needs it, shared by every task of the executor (both are thread-safe), closed
 * when the JVM shuts down.
 *
 * <p>This is the one piece of JVM-wide mutable state in the module, and deliberately so: a CLIP
 * model is hundreds of megabytes, and Spark gives a task no other place to keep something for the
 * executor's lifetime. Detectors never leave the JVM (they are not serializable); tasks carry only
 * the settings.
 */
final class ExecutorDetectors {
    private static final ConcurrentHashMap<String, RunaDetector> OPEN = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, ObjectDetector> OBJECT_DETECTORS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorDetectors::closeAll, "runa-close-detectors"));
    }

    private ExecutorDetectors() {}

    /** The detector for these settings, opened on first use (concurrent callers wait for one load). */
    static RunaDetector get(RunaSparkSettings settings) {
        return OPEN.computeIfAbsent(settings.detectorKey(), k -> open(settings));
    }

    /**
     * The object detector for these settings with {@code threads} ONNX Runtime threads, read through
     * {@code files} and opened on first use (concurrent callers wait for one load).
     *
     * @throws DetectorException naming the file when it cannot be read or is not a supported detector
     */
    static ObjectDetector objectDetector(DetectSettings detect, int threads, HadoopFiles files) {
        return OBJECT_DETECTORS.computeIfAbsent(detect.key(threads), k -> openObjectDetector(detect, threads, files));
    }

    private static ObjectDetector openObjectDetector(DetectSettings detect, int threads, HadoopFiles files) {
        byte[] model;
        try {
            model = files.readFile(detect.detector());
        } catch (FileNotFoundException e) {
            throw new DetectorException(detect.detector() + ": detector file not found", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new DetectorException(detect.detector() + ": cannot read the detector: " + e.getMessage(), e);
        }
        return ObjectDetector.open(model, detect.detector(), detect.options(threads));
    }

    private static void closeAll() {
        OPEN.values().forEach(RunaDetector::close);
        OPEN.clear();
        OBJECT_DETECTORS.values().forEach(ObjectDetector::close);
        OBJECT_DETECTORS.clear();
    }

    /** Builds the detector the settings describe, through the builder {@code runa score} uses. */
    static RunaDetector open(RunaSparkSettings s) {
        try {
            byte[] cal = s.calibration();
            Calibration calibration = cal == null ? null : withTempFile(cal, "calibration", Calibration::load);
            // The job's decision score is the one a calibration it fits applies to; scoring with a
            // calibration, the calibration's own score decides (spark-score takes no score setting).
            DetectorSettings settings = DetectorSettings.defaults(new PromptSet(s.classLabels(), s.template()))
                    .withLambda(s.lambda())
                    .withScore(calibration == null ? s.decisionScore() : null)
                    .withCalibration(calibration);
            byte[] adapter = s.adapter();
            if (adapter == null) {
                return settings.open(load(s));
            }
            // The builder reads the adapter when it opens the detector; its identity is the file's
            // content digest, so the temporary copy is named as runa score names the original.
            return withTempFile(adapter, "adapter", f -> settings.withAdapter(f).open(load(s)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LoadedClip load(RunaSparkSettings s) {
        EncoderOptions encoder =
                EncoderOptions.defaults().withThreads(s.threadsPerTask()).withPrecision(s.precision());
        return new ClipLoader(new HubClient(HubSettings.fromEnvironment().withProgress(false)), encoder)
                .load(s.model());
    }

    private interface FileReader<T> {
        T read(Path file) throws IOException;
    }

    // The core readers take files; the settings carry contents so that executors need no copy.
    private static <T> T withTempFile(byte[] content, String what, FileReader<T> reader) throws IOException {
        Path f = Files.createTempFile("runa-" + what, ".tmp");
        try {
            Files.write(f, content);
            return reader.read(f);
        } catch (IOException e) {
            throw new IOException(what + " (from the job settings): " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
