package dev.runa.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runa.adapter.IncompatibleAdapterException;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.detect.ObjectDetector;
import dev.runa.io.Sha256;
import dev.runa.ood.RunaDetector;
import dev.runa.testing.SyntheticDetectors;
import dev.runa.testing.SyntheticDetectors.Kind;
import dev.runa.testing.TestAdapters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One detector (RUNA's, and the object detector) per JVM and settings, shared by concurrent tasks; settings travel by value. */
class ExecutorDetectorsTest {
    @Test
    void oneDetectorPerSettingsSharedByConcurrentTasks() throws Exception {
        RunaSparkSettings s = RunaSparkSettings.defaults(List.of("person", "dog"))
                .withModel(SparkFixture.get().model.toString())
                .withThreadsPerTask(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<RunaDetector>> got = pool.invokeAll(List.of(
                    () -> ExecutorDetectors.get(s),
                    () -> ExecutorDetectors.get(s),
                    () -> ExecutorDetectors.get(roundTrip(s)),
                    () -> ExecutorDetectors.get(s.withPartitions(9).withImagesPerBatch(2))));
            for (Future<RunaDetector> f : got) {
                assertSame(got.get(0).get(), f.get(), "batching and partitioning do not change the detector");
            }
        } finally {
            pool.shutdown();
        }
        assertNotSame(ExecutorDetectors.get(s), ExecutorDetectors.get(s.withLambda(1.0)));
    }

    @Test
    void oneObjectDetectorPerDetectorSettingsAndThreadsSharedByConcurrentTasks(@TempDir Path dir) throws Exception {
        Path yolo = SyntheticDetectors.write(dir.resolve("yolo.onnx"), Kind.YOLOV8, true);
        DetectSettings d = DetectSettings.defaults(yolo.toString());
        HadoopFiles files = new HadoopFiles(new Configuration(false));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ObjectDetector>> got = pool.invokeAll(List.of(
                    () -> ExecutorDetectors.objectDetector(d, 1, files),
                    () -> ExecutorDetectors.objectDetector(d, 1, files),
                    () -> ExecutorDetectors.objectDetector(roundTrip(d), 1, files),
                    () -> ExecutorDetectors.objectDetector(DetectSettings.defaults(yolo.toString()), 1, files)));
            for (Future<ObjectDetector> f : got) {
                assertSame(got.get(0).get(), f.get(), "one detector per settings in this JVM");
            }
            assertEquals(
                    List.of("red", "green", "blue"), got.get(0).get().graph().classNames());
        } finally {
            pool.shutdown();
        }
        ObjectDetector one = ExecutorDetectors.objectDetector(d, 1, files);
        assertNotSame(
                one,
                ExecutorDetectors.objectDetector(
                        new DetectSettings(d.detector(), d.format(), 0.5, d.iou(), d.maxDet()), 1, files));
        assertNotSame(one, ExecutorDetectors.objectDetector(d, 2, files));
        assertEquals(
                0.5,
                ExecutorDetectors.objectDetector(
                                new DetectSettings(d.detector(), d.format(), 0.5, d.iou(), d.maxDet()), 1, files)
                        .options()
                        .conf());
    }

    @Test
    void settingsSerializeByValue() throws Exception {
        RunaSparkSettings s = RunaSparkSettings.defaults(List.of("car"))
                .withCalibrationBytes(new byte[] {1, 2, 3})
                .withBoxColumns("a", "b", "c", "d");
        RunaSparkSettings copy = roundTrip(s);
        assertEquals(s, copy);
        assertEquals(s.detectorKey(), copy.detectorKey());
        assertArrayEquals(new byte[] {1, 2, 3}, copy.calibration());
        assertNotEquals(
                s.detectorKey(), s.withCalibrationBytes(new byte[] {1, 2, 4}).detectorKey());
    }

    @Test
    void anAdapterTravelsAsBytesAndIsCheckedAsRunaScoreChecksIt(@TempDir Path dir) throws Exception {
        String model = SparkFixture.get().model.toString();
        List<String> classes = List.of("person", "dog");
        Path legacy;
        Path otherClasses;
        try (LoadedClip clip = new ClipLoader(
                        new HubClient(HubSettings.fromEnvironment().withOffline(true)),
                        EncoderOptions.defaults().withThreads(1))
                .load(model)) {
            // Recorded under the model's earlier identity form, as older adapters are: accepted.
            legacy = TestAdapters.write(
                    dir.resolve("old.safetensors"), clip, clip.modelIdentity().legacy(), classes);
            otherClasses = TestAdapters.write(
                    dir.resolve("other.safetensors"), clip, clip.identity(), List.of("person", "cat"));
        }
        RunaSparkSettings s =
                RunaSparkSettings.defaults(classes).withModel(model).withThreadsPerTask(1);
        try (RunaDetector d = ExecutorDetectors.open(s.withAdapter(legacy))) {
            assertEquals(
                    "sha256:" + Sha256.of(legacy), d.settings().adapter(), "named by content, as runa score names it");
        }
        assertThrows(IncompatibleAdapterException.class, () -> ExecutorDetectors.open(s.withAdapter(otherClasses)));
    }

    @SuppressWarnings("unchecked")
    static <T extends Serializable> T roundTrip(T s) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
