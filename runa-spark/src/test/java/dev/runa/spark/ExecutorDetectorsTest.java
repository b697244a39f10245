package dev.runa.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.runa.ood.RunaDetector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One detector per JVM and settings, shared by concurrent tasks; settings travel by value. */
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

    static RunaSparkSettings roundTrip(RunaSparkSettings s) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (RunaSparkSettings) in.readObject();
        }
    }
}
