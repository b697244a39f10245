package dev.runa.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.LoadedClip;
import dev.runa.data.Box;
import dev.runa.features.FeatureCache;
import dev.runa.features.ImageDigests;
import dev.runa.image.ImageDecoder;
import dev.runa.ood.BoxFeatureExtractor;
import dev.runa.ood.BoxFeatures;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.BoxViews;
import dev.runa.ood.PixelBox;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cached regional features through the real (tiny, random) vision encoder. */
class CachedRegionFeaturesTest {
    @TempDir
    Path dir;

    private static LoadedClip clip;

    @BeforeAll
    static void open() {
        clip = FewShotLearningTest.tiny();
    }

    @AfterAll
    static void close() {
        clip.close();
    }

    private Path noiseImage(String name, int w, int h, long seed) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random rng = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rng.nextInt(1 << 24));
            }
        }
        Path f = dir.resolve(name);
        ImageIO.write(img, "png", f.toFile());
        return f;
    }

    private static LabelledRegion region(Path image, double x1, double y1, double x2, double y2) {
        return new LabelledRegion(image, image.getFileName().toString(), new Box(x1, y1, x2, y2), 0, "thing");
    }

    @Test
    void floatBoxesWithTheSameCropShareOneFeatureComputedInOneBatchedPass() throws IOException {
        Path a = noiseImage("a.png", 64, 48, 1);
        Path b = noiseImage("b.png", 40, 40, 2);
        List<LabelledRegion> regions = List.of(
                region(a, 10.2, 5.7, 30.1, 20.9), // crop (10, 5, 31, 21)
                region(b, 3, 4, 25, 30),
                region(a, 10.9, 5.1, 30.9, 20.2), // same crop; half-to-even rounding would give other keys
                region(a, -5, -5, 20, 20), // clamped to (0, 0, 20, 20)
                region(a, 0, 0, 20, 20));
        BoxViewOptions views = BoxViewOptions.DEFAULT;
        CachedRegionFeatures cached = new CachedRegionFeatures(
                FeatureCache.open(dir.resolve("cache"), s -> {}), new ImageDigests(), clip.identity(), views);
        assertEquals(new PixelBox(10, 5, 31, 21), cached.cropBox(regions.get(0)));
        assertEquals(cached.key(regions.get(0)), cached.key(regions.get(2)));
        assertEquals(cached.key(regions.get(3)), cached.key(regions.get(4)));
        assertNotEquals(cached.key(regions.get(0)), cached.key(regions.get(4)));

        List<Integer> batchSizes = new ArrayList<>();
        BackboneRegionEncoder backbone = new BackboneRegionEncoder(clip.model().vision(), views, 16, 2);
        CachedRegionFeatures.RegionEncoder counting = (rs, sink) -> {
            batchSizes.add(rs.size());
            backbone.encode(rs, sink);
        };
        List<int[]> progress = new ArrayList<>();
        CachedRegionFeatures.Result first =
                cached.features(regions, counting, (done, n) -> progress.add(new int[] {done, n}));
        assertEquals(List.of(3), batchSizes, "the 3 distinct crops go to the encoder in one call");
        assertEquals(3, first.computed());
        assertEquals(0, first.reused());
        assertSame(first.features()[0], first.features()[2]);
        assertArrayEquals(new int[] {5, 5}, progress.get(progress.size() - 1));

        // Each feature equals the extractor's on that box alone (batch of one). Tolerance 1e-5: the same float32
        // graph, but ONNX Runtime may block the matrix products differently for another batch size.
        BoxFeatureExtractor single = new BoxFeatureExtractor(clip.model().vision(), views, true, false, 1);
        for (int i = 0; i < regions.size(); i++) {
            LabelledRegion r = regions.get(i);
            List<List<BoxFeatures>> ref =
                    single.extract(List.of(single.prepare("x", ImageDecoder.decode(r.imageFile()), List.of(r.box()))));
            assertArrayEquals(ref.get(0).get(0).regional(), first.features()[i], 1e-5f, "region " + i);
        }

        // a fresh instance (another run) reads everything back
        CachedRegionFeatures again = new CachedRegionFeatures(
                FeatureCache.open(dir.resolve("cache"), s -> {}), new ImageDigests(), clip.identity(), views);
        CachedRegionFeatures.Result second = again.features(regions, counting, null);
        assertEquals(5, second.reused());
        assertEquals(0, second.computed());
        assertEquals(List.of(3), batchSizes, "no encoder call on the second run");
        for (int i = 0; i < regions.size(); i++) {
            assertArrayEquals(first.features()[i], second.features()[i], 0f);
        }
    }

    @Test
    void theMarginGrownCropIsTheKeyAndOtherOptionsAreOtherKeys() throws IOException {
        Path a = noiseImage("a.png", 64, 48, 1);
        LabelledRegion r = region(a, 10, 10, 30, 20);
        BoxViewOptions margin = new BoxViewOptions(0.25, false, BoxViewOptions.GlobalFit.CENTER_CROP, 1f);
        CachedRegionFeatures withMargin =
                new CachedRegionFeatures(FeatureCache.open(dir, s -> {}), new ImageDigests(), "m", margin);
        PixelBox expected = BoxViews.regionalBox(margin, 10, 10, 30, 20, 64, 48);
        assertEquals(new PixelBox(5, 7, 35, 23), expected); // grown by 5 and 2.5 px per side: y 7.5 -> 7, 22.5 -> 23
        assertEquals(expected, withMargin.cropBox(r));
        CachedRegionFeatures plain = new CachedRegionFeatures(
                FeatureCache.open(dir, s -> {}), new ImageDigests(), "m", BoxViewOptions.DEFAULT);
        assertNotEquals(plain.key(r), withMargin.key(r));
        assertTrue(withMargin.key(r).viewOptions().contains("margin=0.25"));
    }

    @Test
    void aBoxOutsideItsImageIsRefusedNamingIt() throws IOException {
        Path a = noiseImage("a.png", 64, 48, 1);
        CachedRegionFeatures c = new CachedRegionFeatures(
                FeatureCache.open(dir, s -> {}), new ImageDigests(), "m", BoxViewOptions.DEFAULT);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> c.key(region(a, 70, 10, 90, 20)));
        assertTrue(e.getMessage().contains("a.png") && e.getMessage().contains("64x48"), e.getMessage());
    }
}
