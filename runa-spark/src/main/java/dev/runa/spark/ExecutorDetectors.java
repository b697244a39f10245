package dev.runa.spark;

import dev.runa.adapter.Adapter;
import dev.runa.adapter.AdapterFile;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.ood.AdapterProjection;
import dev.runa.ood.Calibration;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The detectors of this JVM, one per {@link RunaSparkSettings#detectorKey()}: opened lazily by the
 * first task that needs one, shared by every task of the executor (a {@link RunaDetector} is
 * thread-safe), closed when the JVM shuts down.
 *
 * <p>This is the one piece of JVM-wide mutable state in the module, and deliberately so: a CLIP
 * model is hundreds of megabytes, and Spark gives a task no other place to keep something for the
 * executor's lifetime. Detectors never leave the JVM (they are not serializable); tasks carry only
 * the settings.
 */
final class ExecutorDetectors {
    private static final ConcurrentHashMap<String, RunaDetector> OPEN = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorDetectors::closeAll, "runa-close-detectors"));
    }

    private ExecutorDetectors() {}

    /** The detector for these settings, opened on first use (concurrent callers wait for one load). */
    static RunaDetector get(RunaSparkSettings settings) {
        return OPEN.computeIfAbsent(settings.detectorKey(), k -> open(settings));
    }

    private static void closeAll() {
        OPEN.values().forEach(RunaDetector::close);
        OPEN.clear();
    }

    /** Builds the detector the settings describe, as {@code runa score} does from its options. */
    static RunaDetector open(RunaSparkSettings s) {
        EncoderOptions encoder =
                EncoderOptions.defaults().withThreads(s.threadsPerTask()).withPrecision(s.precision());
        ClipLoader loader =
                new ClipLoader(new HubClient(HubSettings.fromEnvironment().withProgress(false)), encoder);
        LoadedClip clip = loader.load(s.model());
        try {
            RunaOptions o = RunaOptions.defaults(new PromptSet(s.classLabels(), s.template()))
                    .withLambda(s.lambda())
                    .withDecisionScore(s.decisionScore());
            byte[] cal = s.calibration();
            if (cal != null) {
                o = o.withCalibration(withTempFile(cal, "calibration", Calibration::load));
            }
            byte[] adapter = s.adapter();
            if (adapter != null) {
                AdapterProjection projection = withTempFile(adapter, "adapter", f -> {
                    Adapter a = AdapterFile.read(f);
                    a.requireCompatible(clip.identity(), s.classLabels());
                    // The same identity runa score records: the file's content digest.
                    return new AdapterProjection(a.projection(), AdapterFile.identityOf(f));
                });
                o = o.withAdapter(projection);
            }
            return RunaDetector.open(clip, o);
        } catch (IOException e) {
            clip.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            clip.close();
            throw e;
        }
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
