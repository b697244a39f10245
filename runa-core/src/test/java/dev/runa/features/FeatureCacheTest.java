package dev.runa.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.ood.PixelBox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {
    @TempDir
    Path dir;

    static final String DIGEST = "ab".repeat(32);

    static FeatureKey key(int x, FeatureKey.View view, String options) {
        return new FeatureKey("openai/clip-vit-base-patch16@rev", DIGEST, x, 2, x + 30, 40, view, options);
    }

    static float[] feature(int seed, int dim) {
        float[] f = new float[dim];
        for (int i = 0; i < dim; i++) {
            f[i] = (float) Math.cos(seed * 31 + i) * (i % 3 == 0 ? 1e-30f : 3.5f);
        }
        return f;
    }

    @Test
    void roundTripAndReuseAcrossInstances() throws IOException {
        List<String> warnings = new ArrayList<>();
        FeatureCache a = FeatureCache.open(dir.resolve("cache"), warnings::add);
        FeatureKey k = key(1, FeatureKey.View.REGIONAL, "margin=0");
        assertEquals(Optional.empty(), a.get(k));
        a.put(k, feature(1, 768));
        assertArrayEquals(feature(1, 768), a.get(k).orElseThrow(), 0f);
        assertEquals(new FeatureCache.Stats(1, 1, 0, 1), a.stats());

        FeatureCache b = FeatureCache.open(dir.resolve("cache"), warnings::add);
        assertArrayEquals(feature(1, 768), b.get(k).orElseThrow(), 0f);
        a.put(k, feature(2, 768)); // replacing an entry
        assertArrayEquals(feature(2, 768), b.get(k).orElseThrow(), 0f);
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertTrue(Files.readString(a.entryFile(k).getParent().getParent().resolve("namespace.txt"))
                .contains("options: margin=0"));
    }

    @Test
    void anyDifferenceInTheKeyIsAMiss() throws IOException {
        FeatureCache c = FeatureCache.open(dir, s -> {});
        FeatureKey k = key(1, FeatureKey.View.REGIONAL, "margin=0");
        c.put(k, feature(1, 8));
        List<FeatureKey> others = List.of(
                key(1, FeatureKey.View.REGIONAL, "margin=0.1"),
                key(1, FeatureKey.View.GLOBAL, "margin=0"),
                key(2, FeatureKey.View.REGIONAL, "margin=0"),
                new FeatureKey("other-model", DIGEST, 1, 2, 31, 40, FeatureKey.View.REGIONAL, "margin=0"),
                new FeatureKey(k.model(), "cd".repeat(32), 1, 2, 31, 40, FeatureKey.View.REGIONAL, "margin=0"),
                // length-prefixed fields: moving text between model and options is another key
                new FeatureKey(k.model() + "|", DIGEST, 1, 2, 31, 40, FeatureKey.View.REGIONAL, "argin=0"));
        for (FeatureKey o : others) {
            assertEquals(Optional.empty(), c.get(o), o.toString());
            assertNotEquals(k.canonical(), o.canonical());
        }
        assertTrue(c.get(k).isPresent());
    }

    @Test
    void keyIsTheIntegerCropBox() {
        FeatureKey k = FeatureKey.of("m", DIGEST, new PixelBox(0, 1, 3, 4), FeatureKey.View.REGIONAL, "");
        assertEquals(List.of(0, 1, 3, 4), List.of(k.x1(), k.y1(), k.x2(), k.y2()));
        // float boxes that crop the same pixels (floor/ceil, clamped to a 3x4 image) give one key
        FeatureKey a =
                FeatureKey.of("m", DIGEST, PixelBox.covering(0.5, 1.5, 2.5, 3.49, 3, 4), FeatureKey.View.REGIONAL, "");
        FeatureKey b =
                FeatureKey.of("m", DIGEST, PixelBox.covering(-7, 1.0, 9.9, 3.01, 3, 4), FeatureKey.View.REGIONAL, "");
        assertEquals(k, a);
        assertEquals(k, b);
        assertEquals(k.canonical(), b.canonical());
    }

    @Test
    void truncatedOrDamagedEntriesAreReportedMisses() throws IOException {
        List<String> warnings = new ArrayList<>();
        FeatureCache c = FeatureCache.open(dir, warnings::add);
        FeatureKey k = key(5, FeatureKey.View.GLOBAL, "fit=crop");
        c.put(k, feature(5, 64));
        Path entry = c.entryFile(k);
        byte[] good = Files.readAllBytes(entry);

        Files.write(entry, Arrays.copyOf(good, good.length - 7)); // a killed writer without atomic rename
        assertEquals(Optional.empty(), c.get(k));
        byte[] flipped = good.clone();
        flipped[good.length - 40] ^= 0x10; // a flipped bit inside the floats
        Files.write(entry, flipped);
        assertEquals(Optional.empty(), c.get(k));
        Files.write(entry, new byte[0]);
        assertEquals(Optional.empty(), c.get(k));
        // an intact entry of another key placed at this key's path (e.g. copied by hand)
        FeatureKey other = key(6, FeatureKey.View.GLOBAL, "fit=crop");
        Files.write(entry, FeatureCache.encode(other.canonical(), feature(6, 64)));
        assertEquals(Optional.empty(), c.get(k));

        assertEquals(4, c.stats().corrupt());
        assertEquals(4, warnings.size());
        assertTrue(
                warnings.get(0).contains(entry.toString()) && warnings.get(0).contains("truncated"), warnings.get(0));
        assertTrue(warnings.get(1).contains("checksum"), warnings.get(1));
        assertTrue(warnings.get(3).contains("another key"), warnings.get(3));

        c.put(k, feature(5, 64)); // the next put repairs it
        assertArrayEquals(feature(5, 64), c.get(k).orElseThrow(), 0f);
    }

    @Test
    void rejectsBrokenFeatures() throws IOException {
        FeatureCache c = FeatureCache.open(dir, s -> {});
        FeatureKey k = key(1, FeatureKey.View.REGIONAL, "");
        assertThrows(IllegalArgumentException.class, () -> c.put(k, new float[] {1, Float.NaN}));
        assertThrows(IllegalArgumentException.class, () -> c.put(k, new float[0]));
        assertEquals(Optional.empty(), c.get(k));
    }

    @Test
    void concurrentWritersAndReadersNeverSeeAPartialEntry() throws Exception {
        FeatureCache c = FeatureCache.open(dir, s -> {});
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                jobs.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        FeatureKey k = key(i % 10, FeatureKey.View.REGIONAL, "o");
                        c.put(k, feature(i % 10, 128));
                        Optional<float[]> got = c.get(k);
                        assertArrayEquals(feature(i % 10, 128), got.orElseThrow(), 0f);
                    }
                    return null;
                }));
            }
            for (Future<?> j : jobs) {
                j.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, c.stats().corrupt());
        assertEquals(200, c.stats().hits());
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(0, files.filter(p -> p.toString().endsWith(".tmp")).count(), "no temporary files left");
        }
    }

    @Test
    void imageDigestFollowsContentNotPath() throws IOException {
        ImageDigests d = new ImageDigests();
        Path a = dir.resolve("a.jpg");
        Path b = dir.resolve("copy/b.jpg");
        Files.write(a, new byte[] {1, 2, 3});
        Files.createDirectories(b.getParent());
        Files.copy(a, b);
        assertEquals(d.digest(a), d.digest(b));
        // SHA-256 of the bytes 01 02 03 (computed with sha256sum)
        assertEquals("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", d.digest(a));
        Files.write(a, new byte[] {1, 2, 4});
        Files.setLastModifiedTime(a, FileTime.fromMillis(12345));
        assertNotEquals(d.digest(b), d.digest(a));
        assertThrows(IOException.class, () -> d.digest(dir));
    }
}
