package dev.runa.selfcheck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.ClipConfig;
import dev.runa.clip.ClipImagePreprocessor;
import dev.runa.clip.RandomClipWeights;
import dev.runa.clip.ReferenceClip;
import dev.runa.clip.tokenizer.BpeVocabulary;
import dev.runa.clip.tokenizer.ClipTokenizer;
import dev.runa.image.ImageDecoder;
import dev.runa.tensor.Float16;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CPU-side cross-check of the tolerance's basis (the GPU measurement in
 * docs/selfcheck-fp16-drift.json, which CI cannot repeat): a simulated fp16 forward of random:tiny
 * ({@link ReferenceClip#fp16Storage}, every weight and every produced tensor rounded to fp16, and the
 * zero-shot head in fp16 as OpenAI's README code runs on CUDA) against the same fp16 weights in
 * double precision moves logits at scale 100 by less than the tolerance's D.
 */
class Fp16DriftTest {
    @TempDir
    Path tmp;

    private static double h(double v) {
        return Float16.toFloat(Float16.fromFloat((float) v));
    }

    /** Unit vector with every step in fp16 (PyTorch: x / x.norm(dim=-1, keepdim=True) on half tensors). */
    private static double[] unitFp16(double[] e) {
        double s = 0;
        for (double v : e) {
            s += v * v;
        }
        double norm = h(Math.sqrt(s));
        double[] u = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            u[i] = h(e[i] / norm);
        }
        return u;
    }

    private static double[] unit(double[] e) {
        double s = 0;
        for (double v : e) {
            s += v * v;
        }
        double[] u = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            u[i] = e[i] / Math.sqrt(s);
        }
        return u;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void aSimulatedFp16ForwardStaysWithinTheTolerance() throws Exception {
        ClipConfig config = ClipConfig.tiny();
        ClipTokenizer tok = new ClipTokenizer(BpeVocabulary.bytesOnly());
        List<String> prompts = List.of(
                "a diagram",
                "a dog",
                "a cat",
                "a photo of a snake",
                "a photo of a turtle",
                "a photo of a sweet_pepper");
        ClipImagePreprocessor pre = new ClipImagePreprocessor(config.vision().imageSize());
        double worst = 0;
        try (RandomClipWeights w = new RandomClipWeights(config, 0)) {
            ReferenceClip exact = ReferenceClip.fp16Weights(config, w);
            ReferenceClip half = ReferenceClip.fp16Storage(config, w);
            List<double[][]> texts = new ArrayList<>();
            for (String p : prompts) {
                int[] ids = tok.encode(p).ids();
                texts.add(new double[][] {unit(exact.text(ids)[1]), unitFp16(half.text(ids)[1])});
            }
            for (int i = 0; i < 4; i++) {
                Path file = BruteForceZeroShot.picture(tmp.resolve(i + ".png"), 40 + 30 * i, 90 - 10 * i, i);
                float[] px = pre.preprocess(ImageDecoder.decode(file));
                double[] e32 = unit(exact.vision(px)[1]);
                double[] e16 = unitFp16(half.vision(px)[1]);
                for (double[][] t : texts) {
                    double z32 = 100 * dot(e32, t[0]);
                    double z16 = h(100 * h(dot(e16, t[1]))); // fp16 matmul output, then the fp16 product
                    worst = Math.max(worst, Math.abs(z16 - z32));
                }
            }
        }
        double d = Tolerance.FP16_GPU.maxLogitShift();
        System.out.printf(
                "simulated fp16 drift of random:tiny logits (scale 100): %.4f (tolerance D %.2f)%n", worst, d);
        assertTrue(worst > 1e-3, "the simulation must round something: " + worst);
        assertTrue(worst < d, "simulated fp16 drift " + worst + " exceeds the tolerance " + d);
    }
}
