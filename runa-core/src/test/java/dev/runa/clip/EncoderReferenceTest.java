package dev.runa.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.checkpoint.CheckpointException;
import dev.runa.clip.graph.AttentionKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ORT graphs against the plain double-precision {@link ReferenceClip} on random tiny weights. */
class EncoderReferenceTest {
    /** Odd sizes (3 heads of 16, a 1000-token vocabulary) so that no width/head mix-up can cancel out. */
    static final ClipConfig ODD = new ClipConfig(
            new ClipConfig.Vision(32, 8, 48, 2, 3, 96, 1e-5),
            new ClipConfig.Text(1000, 77, 32, 2, 4, 64, 1e-5),
            24,
            "random:odd");

    static float[] randomPixels(ClipConfig c, int batch, long seed) {
        Random r = new Random(seed);
        int n = c.vision().imageSize();
        float[] p = new float[batch * 3 * n * n];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (r.nextGaussian() * 1.5);
        }
        return p;
    }

    static int[] randomTokens(ClipConfig c, int length, long seed) {
        Random r = new Random(seed);
        int[] ids = new int[c.text().contextLength()];
        int vocab = c.text().vocabSize();
        ids[0] = vocab - 2;
        for (int i = 1; i < length - 1; i++) {
            ids[i] = r.nextInt(vocab - 2);
        }
        ids[length - 1] = vocab - 1; // the end token: largest id, as 49407 in CLIP's vocabulary
        return ids;
    }

    @ParameterizedTest
    @EnumSource(AttentionKind.class)
    void visionMatchesReferenceForEveryImageOfABatch(AttentionKind attention) {
        for (ClipConfig c : List.of(ODD, ClipConfig.tiny())) {
            try (RandomClipWeights w = new RandomClipWeights(c, 7);
                    VisionEncoder enc =
                            VisionEncoder.open(c, w, EncoderOptions.defaults().withAttention(attention))) {
                ReferenceClip ref = new ReferenceClip(c, w);
                int per = enc.pixelsPerImage();
                float[] pixels = randomPixels(c, 3, 11);
                List<ImageFeatures> got = enc.encode(pixels, 3);
                for (int i = 0; i < 3; i++) {
                    double[][] r = ref.vision(Arrays.copyOfRange(pixels, i * per, (i + 1) * per));
                    Parity.assertClose(r[0], got.get(i).pooled(), c.name() + " image " + i + " pooled");
                    Parity.assertClose(r[1], got.get(i).embedding(), c.name() + " image " + i + " embedding");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(AttentionKind.class)
    void textMatchesReferenceWithCausalMaskAndEndTokenPick(AttentionKind attention) {
        ClipConfig c = ODD;
        try (RandomClipWeights w = new RandomClipWeights(c, 5);
                TextEncoder enc =
                        TextEncoder.open(c, w, EncoderOptions.defaults().withAttention(attention))) {
            ReferenceClip ref = new ReferenceClip(c, w);
            int[][] ids = {randomTokens(c, 5, 1), randomTokens(c, 77, 2), randomTokens(c, 2, 3)};
            List<TextFeatures> got = enc.encode(ids);
            for (int i = 0; i < ids.length; i++) {
                double[][] r = ref.text(ids[i]);
                Parity.assertClose(r[0], got.get(i).pooled(), "text " + i + " pooled");
                Parity.assertClose(r[1], got.get(i).embedding(), "text " + i + " embedding");
            }
        }
    }

    @Test
    void batchOfThreeEqualsThreeSingleRuns() {
        ClipConfig c = ODD;
        try (RandomClipWeights w = new RandomClipWeights(c, 3);
                VisionEncoder enc = VisionEncoder.open(c, w, EncoderOptions.defaults())) {
            float[] pixels = randomPixels(c, 3, 4);
            int per = enc.pixelsPerImage();
            List<ImageFeatures> batch = enc.encode(pixels, 3);
            for (int i = 0; i < 3; i++) {
                ImageFeatures one = enc.encode(Arrays.copyOfRange(pixels, i * per, (i + 1) * per));
                // Same tolerance as against the reference: kernels may block a batch differently.
                Parity.assertClose(
                        Parity.toDouble(one.embedding()), batch.get(i).embedding(), "image " + i);
                Parity.assertClose(Parity.toDouble(one.pooled()), batch.get(i).pooled(), "image " + i);
            }
        }
    }

    @Test
    void batchesAboveTheRunLimitAreSplitTransparently() {
        ClipConfig c = ODD;
        try (RandomClipWeights w = new RandomClipWeights(c, 3);
                VisionEncoder whole =
                        VisionEncoder.open(c, w, EncoderOptions.defaults().withMaxRunBatch(16));
                VisionEncoder split =
                        VisionEncoder.open(c, w, EncoderOptions.defaults().withMaxRunBatch(2))) {
            float[] pixels = randomPixels(c, 5, 8);
            List<ImageFeatures> a = whole.encode(pixels, 5);
            List<ImageFeatures> b = split.encode(pixels, 5);
            assertEquals(5, b.size());
            for (int i = 0; i < 5; i++) {
                Parity.assertClose(
                        Parity.toDouble(a.get(i).embedding()), b.get(i).embedding(), "image " + i);
            }
        }
    }

    @Test
    void oneEncoderSharedByFourThreadsGivesTheSingleThreadedResults() throws Exception {
        ClipConfig c = ODD;
        try (RandomClipWeights w = new RandomClipWeights(c, 9);
                VisionEncoder enc =
                        VisionEncoder.open(c, w, EncoderOptions.defaults().withThreads(1))) {
            int images = 8;
            float[] pixels = randomPixels(c, images, 21);
            int per = enc.pixelsPerImage();
            List<float[]> expected = new ArrayList<>();
            for (int i = 0; i < images; i++) {
                expected.add(enc.encode(Arrays.copyOfRange(pixels, i * per, (i + 1) * per))
                        .embedding());
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<float[]>> futures = new ArrayList<>();
                for (int round = 0; round < 5; round++) {
                    for (int i = 0; i < images; i++) {
                        int k = i;
                        futures.add(pool.submit(() -> enc.encode(Arrays.copyOfRange(pixels, k * per, (k + 1) * per))
                                .embedding()));
                    }
                }
                for (int f = 0; f < futures.size(); f++) {
                    // Identical single-image runs on one session are deterministic: exact equality.
                    assertArrayEquals(expected.get(f % images), futures.get(f).get(), "run " + f);
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void projectionMatrixReproducesTheEmbeddingFromPooled() {
        ClipConfig c = ODD;
        try (RandomClipWeights w = new RandomClipWeights(c, 2);
                VisionEncoder enc = VisionEncoder.open(c, w, EncoderOptions.defaults())) {
            ImageFeatures f = enc.encode(randomPixels(c, 1, 5));
            float[][] proj = enc.projection();
            assertEquals(c.projectionDim(), proj.length);
            double[] e = new double[proj.length];
            for (int i = 0; i < proj.length; i++) {
                for (int j = 0; j < proj[i].length; j++) {
                    e[i] += proj[i][j] * (double) f.pooled()[j];
                }
            }
            Parity.assertClose(e, f.embedding(), "pooled x projection^T");
        }
    }

    @Test
    void badInputsAreRejectedWithAMessageNamingTheProblem() {
        ClipConfig c = ODD;
        try (RandomClipWeights w = new RandomClipWeights(c, 2);
                VisionEncoder v = VisionEncoder.open(c, w, EncoderOptions.defaults());
                TextEncoder t = TextEncoder.open(c, w, EncoderOptions.defaults())) {
            var e1 = assertThrows(IllegalArgumentException.class, () -> v.encode(new float[10], 1));
            assertTrue(e1.getMessage().contains("pixels"), e1.getMessage());
            var e2 = assertThrows(IllegalArgumentException.class, () -> t.encode(new int[][] {new int[5]}));
            assertTrue(e2.getMessage().contains("context length"), e2.getMessage());
            int[] ids = randomTokens(c, 4, 1);
            ids[2] = 5000;
            var e3 = assertThrows(IllegalArgumentException.class, () -> t.encode(new int[][] {ids}));
            assertTrue(e3.getMessage().contains("position 2"), e3.getMessage());
        }
    }

    @Test
    void missingOrMisshapedWeightNamesTheTensor() {
        ClipConfig small = ODD;
        ClipConfig wider = new ClipConfig(new ClipConfig.Vision(32, 8, 64, 2, 4, 96, 1e-5), ODD.text(), 24, "x");
        try (RandomClipWeights w = new RandomClipWeights(small, 1)) {
            var e = assertThrows(
                    CheckpointException.class, () -> VisionEncoder.open(wider, w, EncoderOptions.defaults()));
            assertTrue(e.getMessage().contains("vision_model.embeddings.patch_embedding.weight"), e.getMessage());
        }
    }
}
