package dev.runa.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Several sessions running the runs of one request in parallel give exactly the features of one
 * session: every run holds the same images either way (the int8 activation scale is per run, so
 * this also holds for int8), and ORT's kernels do not depend on the thread count per output value.
 */
class VisionEncoderSessionsTest {

    @Test
    void parallelSessionsGiveTheSingleSessionFeatures() throws Exception {
        ClipConfig c = ClipConfig.tiny();
        float[] pixels = EncoderReferenceTest.randomPixels(c, 11, 5);
        for (Precision p : new Precision[] {Precision.FP32, Precision.INT8}) {
            EncoderOptions one = EncoderOptions.defaults().withPrecision(p).withMaxRunBatch(3);
            try (RandomClipWeights w = new RandomClipWeights(c, 9);
                    VisionEncoder single = VisionEncoder.open(c, w, one);
                    VisionEncoder multi =
                            VisionEncoder.open(c, w, one.withThreads(4).withSessions(3))) {
                assertEquals(3, multi.sessions());
                List<ImageFeatures> a = single.encode(pixels, 11);
                // Concurrent callers on top of the parallel runs: sessions are handed out one run at a time.
                ExecutorService callers = Executors.newFixedThreadPool(3);
                try {
                    List<Future<List<ImageFeatures>>> fs = callers.invokeAll(List.of(
                            () -> multi.encode(pixels, 11),
                            () -> multi.encode(pixels, 11),
                            () -> multi.encode(pixels, 11)));
                    for (Future<List<ImageFeatures>> f : fs) {
                        List<ImageFeatures> b = f.get();
                        assertEquals(11, b.size());
                        for (int i = 0; i < 11; i++) {
                            assertArrayEquals(a.get(i).pooled(), b.get(i).pooled(), p + " image " + i);
                            assertArrayEquals(a.get(i).embedding(), b.get(i).embedding(), p + " image " + i);
                        }
                    }
                } finally {
                    callers.shutdownNow();
                }
            }
        }
    }

    @Test
    void threadsAreSharedBetweenSessions() {
        assertEquals(
                4, EncoderOptions.defaults().withThreads(16).withSessions(4).threadsPerSession());
        assertEquals(1, EncoderOptions.defaults().withThreads(2).withSessions(4).threadsPerSession());
        assertThrows(
                IllegalArgumentException.class, () -> EncoderOptions.defaults().withSessions(0));
    }
}
