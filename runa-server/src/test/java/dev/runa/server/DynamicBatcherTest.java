package dev.runa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.Precision;
import dev.runa.data.Box;
import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import dev.runa.ood.BoxResult;
import dev.runa.ood.PreparedImage;
import dev.runa.ood.RunaDetector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Images of concurrent requests really share encoder batches, and each gets exactly the results
 * (to the bit) it gets alone through {@link RunaDetector#score(PixelImage, List)}.
 */
class DynamicBatcherTest {
    record Batch(int images, int views, int boxes) {}

    @Test
    void fp32ResultsAreBitIdenticalWhateverTheBatch() throws Exception {
        checkBitIdentity(Precision.FP32);
    }

    @Test
    void int8ResultsAreBitIdenticalWhateverTheBatch() throws Exception {
        checkBitIdentity(Precision.INT8);
    }

    private void checkBitIdentity(Precision precision) throws Exception {
        try (RunaDetector runa = TestModels.tiny(64, precision)) {
            List<PixelImage> images = new ArrayList<>();
            List<List<Box>> boxes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                images.add(ImageDecoder.decode(
                        TestModels.png(60 + 10 * i, 50 + 5 * i, 40 + i), "img" + i, DecodeOptions.DEFAULT));
                List<Box> b = new ArrayList<>();
                for (int k = 0; k <= i % 3; k++) {
                    b.add(new Box(k * 4, k * 3, 40 + 5 * k, 45 - k));
                }
                boxes.add(b);
            }
            List<List<BoxResult>> alone = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                alone.add(runa.score(images.get(i), boxes.get(i)));
            }
            List<Batch> batches = new CopyOnWriteArrayList<>();
            // A long wait so that every image lands in one batch; then orders and partners change.
            for (int[] order : new int[][] {{0, 1, 2, 3, 4}, {4, 2, 0}, {3, 1}, {2}}) {
                batches.clear();
                try (DynamicBatcher b =
                        new DynamicBatcher(runa, 64, 500, 16, (n, v, x) -> batches.add(new Batch(n, v, x)))) {
                    List<CompletableFuture<ScoredBoxes>> fs = new ArrayList<>();
                    for (int i : order) {
                        PreparedImage p = runa.prepare("img" + i, images.get(i), boxes.get(i));
                        fs.add(b.submit(p));
                    }
                    for (int k = 0; k < order.length; k++) {
                        ScoredBoxes got = fs.get(k).get(60, TimeUnit.SECONDS);
                        List<BoxResult> want = alone.get(order[k]);
                        assertEquals(want.size(), got.results().size());
                        for (int j = 0; j < want.size(); j++) {
                            assertEquals(
                                    want.get(j).scores(),
                                    got.results().get(j).scores(),
                                    precision + " image " + order[k] + " box " + j + " in batch " + batches);
                            assertEquals(
                                    want.get(j).crop(), got.results().get(j).crop());
                            double[] sims = got.similarities().get(j);
                            assertEquals(
                                    want.get(j).scores().maxsim(),
                                    Arrays.stream(sims).max().orElseThrow());
                        }
                    }
                }
                assertEquals(1, batches.size(), "expected one shared batch, got " + batches);
                assertEquals(order.length, batches.get(0).images());
            }
        }
    }

    @Test
    void fullQueueIs429AndClosedIs503() throws Exception {
        try (RunaDetector runa = TestModels.tiny(8, Precision.FP32)) {
            PixelImage img = ImageDecoder.decode(TestModels.png(64, 48, 9), "img", DecodeOptions.DEFAULT);
            List<Box> many = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                many.add(new Box(i % 10, i % 7, 50, 40));
            }
            PreparedImage p = runa.prepare("img", img, many);
            DynamicBatcher b = new DynamicBatcher(runa, 8, 0, 2, (n, v, x) -> {});
            List<CompletableFuture<ScoredBoxes>> fs = new ArrayList<>();
            ApiException full = null;
            // The worker is busy with 400 views; the queue holds two more; the next is refused.
            for (int i = 0; i < 6 && full == null; i++) {
                try {
                    fs.add(b.submit(p));
                } catch (ApiException e) {
                    full = e;
                }
            }
            assertTrue(full != null, "queue of 2 never filled");
            assertEquals(429, full.status());
            b.close();
            for (CompletableFuture<ScoredBoxes> f : fs) {
                assertEquals(200, f.get(60, TimeUnit.SECONDS).results().size()); // queued work finished
            }
            ApiException closed = assertThrows(ApiException.class, () -> b.submit(p));
            assertEquals(503, closed.status());
        }
    }

    @Test
    void batchesHoldAtMostMaxBatchViewsOfWholeImages() throws Exception {
        try (RunaDetector runa = TestModels.tiny(8, Precision.FP32)) {
            PixelImage img = ImageDecoder.decode(TestModels.png(64, 48, 9), "img", DecodeOptions.DEFAULT);
            PreparedImage p =
                    runa.prepare("img", img, List.of(new Box(0, 0, 30, 30), new Box(5, 5, 60, 40))); // 4 views
            List<Batch> batches = new CopyOnWriteArrayList<>();
            try (DynamicBatcher b =
                    new DynamicBatcher(runa, 8, 300, 16, (n, v, x) -> batches.add(new Batch(n, v, x)))) {
                List<CompletableFuture<ScoredBoxes>> fs = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    fs.add(b.submit(p));
                }
                for (CompletableFuture<ScoredBoxes> f : fs) {
                    f.get(60, TimeUnit.SECONDS);
                }
            }
            int images = 0;
            for (Batch x : batches) {
                assertTrue(x.views() <= 8, batches.toString());
                images += x.images();
            }
            assertEquals(5, images);
            assertTrue(batches.stream().anyMatch(x -> x.images() == 2), "no two requests shared a batch: " + batches);
        }
    }
}
