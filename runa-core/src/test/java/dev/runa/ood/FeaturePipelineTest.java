package dev.runa.ood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.data.Box;
import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturePipelineTest {

    static Path png(Path dir, String name, int w, int h, long seed) throws Exception {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        Path p = dir.resolve(name);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    @Test
    void deliversEveryImageInOrderWithTheSameFeaturesAsDirectExtraction(@TempDir Path tmp) throws Exception {
        try (RunaDetector runa = RunaDetector.open(
                RunaDetectorTest.tiny(),
                RunaOptions.defaults(PromptSet.of(List.of("a", "b"))).withMaxViewsPerCall(3))) {
            List<ImageJob> jobs = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                Path f = png(tmp, "img" + i + ".png", 40 + i, 30 + 2 * i, i);
                List<Box> boxes = new ArrayList<>();
                for (int b = 0; b <= i % 3; b++) {
                    boxes.add(new Box(b, b, 20 + b, 15 + b));
                }
                jobs.add(new ImageJob("id" + i, f, boxes));
            }
            Path corrupt = tmp.resolve("corrupt.png");
            Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
            jobs.add(3, new ImageJob("bad", corrupt, List.of(new Box(0, 0, 5, 5))));
            jobs.add(new ImageJob("degenerate", jobs.get(0).file(), List.of(new Box(5, 5, 5, 9))));

            BoxFeatureExtractor extractor =
                    new BoxFeatureExtractor(runa.clip().model().vision(), BoxViewOptions.DEFAULT, true, true, 3);
            List<ImageOutcome> got = new ArrayList<>();
            FeaturePipeline.viewBudget(extractor, DecodeOptions.DEFAULT, 2, 3, 8)
                    .run(jobs, got::add);

            assertEquals(jobs.size(), got.size());
            for (int i = 0; i < jobs.size(); i++) {
                assertEquals(jobs.get(i).key(), got.get(i).job().key(), "order");
            }
            ImageOutcome bad = got.get(3);
            assertTrue(
                    !bad.ok() && bad.imageError().message().contains("corrupt.png"), String.valueOf(bad.imageError()));
            assertEquals(BoxError.Reason.UNREADABLE_IMAGE, bad.imageError().reason());
            ImageOutcome degenerate = got.get(jobs.size() - 1);
            assertTrue(degenerate.ok());
            assertNull(degenerate.features().get(0));
            assertEquals(
                    BoxError.Reason.DEGENERATE_BOX,
                    degenerate.prepared().boxes().get(0).error().reason());

            for (ImageOutcome o : got) {
                if (!o.ok() || o.job().key().equals("degenerate")) {
                    continue;
                }
                PixelImage img = ImageDecoder.decode(o.job().file());
                List<BoxFeatures> direct = extractor
                        .extract(List.of(extractor.prepare("x", img, o.job().boxes())))
                        .get(0);
                for (int b = 0; b < direct.size(); b++) {
                    // Same inputs; only the batch composition differs (fp32 moves ~1e-6 relative with it).
                    assertArrayClose(
                            direct.get(b).regional(), o.features().get(b).regional());
                    assertArrayClose(direct.get(b).global(), o.features().get(b).global());
                }
            }
        }
    }

    /**
     * An image with many boxes prepared on a fork-join worker (its boxes split over the pool, as in
     * the pipeline) gives exactly the views of the same image prepared on a plain thread, in box
     * order, degenerate boxes included; and the pipeline records every stage's time.
     */
    @Test
    void boxesSplitOverWorkersGiveTheSameViewsInOrder(@TempDir Path tmp) throws Exception {
        try (RunaDetector runa =
                RunaDetector.open(RunaDetectorTest.tiny(), RunaOptions.defaults(PromptSet.of(List.of("a", "b"))))) {
            BoxFeatureExtractor extractor =
                    new BoxFeatureExtractor(runa.clip().model().vision(), BoxViewOptions.DEFAULT, true, true, 16);
            Path f = png(tmp, "many.png", 97, 61, 5);
            PixelImage img = ImageDecoder.decode(f);
            Random r = new Random(2);
            List<Box> boxes = new ArrayList<>();
            for (int b = 0; b < 40; b++) {
                double x = r.nextInt(90);
                double y = r.nextInt(55);
                boxes.add(
                        b % 13 == 7
                                ? new Box(x, y, x, y + 3)
                                : new Box(x, y, x + 1 + r.nextInt(40), y + 1 + r.nextInt(30)));
            }
            PreparedImage plain = extractor.prepare("x", img, boxes);
            java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(4);
            try {
                PreparedImage split =
                        pool.submit(() -> extractor.prepare("x", img, boxes)).get();
                assertEquals(boxes.size(), split.boxes().size());
                for (int b = 0; b < boxes.size(); b++) {
                    PreparedImage.Prepared want = plain.boxes().get(b);
                    PreparedImage.Prepared got = split.boxes().get(b);
                    assertEquals(want.box(), got.box(), "box order");
                    assertEquals(want.error(), got.error());
                    org.junit.jupiter.api.Assertions.assertArrayEquals(want.regional(), got.regional(), "box " + b);
                    org.junit.jupiter.api.Assertions.assertArrayEquals(want.global(), got.global(), "box " + b);
                }
            } finally {
                pool.shutdownNow();
            }

            extractor.times().reset();
            FeaturePipeline.viewBudget(extractor, DecodeOptions.DEFAULT, 2, 2, 16)
                    .run(List.of(new ImageJob("a", f, boxes), new ImageJob("b", f, boxes.subList(0, 3))), o -> {});
            for (StageTimes.Stage s : List.of(
                    StageTimes.Stage.DECODE, StageTimes.Stage.BLUR, StageTimes.Stage.VIEWS, StageTimes.Stage.ENCODER)) {
                assertTrue(extractor.times().nanos(s) > 0, s + " time recorded");
            }
        }
    }

    private static void assertArrayClose(float[] want, float[] got) {
        assertEquals(want.length, got.length);
        float max = 0;
        for (float v : want) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-4 * max, "component " + i);
        }
    }

    @Test
    void anyFailureOfOneImageBecomesItsOutcomeAndTheRunGoesOn(@TempDir Path tmp) throws Exception {
        try (RunaDetector runa =
                RunaDetector.open(RunaDetectorTest.tiny(), RunaOptions.defaults(PromptSet.of(List.of("a", "b"))))) {
            List<ImageJob> jobs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                jobs.add(new ImageJob("id" + i, png(tmp, "i" + i + ".png", 30, 20, i), List.of(new Box(1, 1, 15, 12))));
            }
            BoxFeatureExtractor extractor =
                    new BoxFeatureExtractor(runa.clip().model().vision(), BoxViewOptions.DEFAULT, true, true, 8);
            // Image 1 fails as the 32000x32000 PNG did in PixelImage.toRgb.
            FeaturePipeline pipeline = FeaturePipeline.fixedGroups(extractor, DecodeOptions.DEFAULT, 2, 2)
                    .withDecoder(job -> {
                        if (job.key().equals("id1")) {
                            throw new NegativeArraySizeException("-1222967296");
                        }
                        return ImageDecoder.decode(job.file());
                    });
            List<ImageOutcome> got = new ArrayList<>();
            pipeline.run(jobs, got::add);
            assertEquals(4, got.size());
            assertTrue(got.get(0).ok() && got.get(2).ok() && got.get(3).ok());
            assertTrue(!got.get(1).ok());
            BoxError failure = got.get(1).imageError();
            assertEquals(BoxError.Reason.UNEXPECTED, failure.reason());
            assertEquals("unexpected failure", failure.kind());
            assertTrue(failure.message().contains("i1.png"), failure.message());
            assertTrue(failure.message().contains("NegativeArraySizeException"), failure.message());
        }
    }
}
