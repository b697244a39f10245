package dev.runa.selfcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole check on {@code random:tiny}, with expected probabilities from the ONNX-free
 * {@link BruteForceZeroShot}: it passes on the truth, passes within the tolerance, and fails just
 * outside it.
 */
class SelfCheckTest {
    @TempDir
    static Path tmp;

    static Path image;
    static final List<String> PROMPTS = List.of("a diagram", "a dog", "a cat", "a photo of a red square");
    static double[] logits;

    @BeforeAll
    static void setUp() throws Exception {
        image = BruteForceZeroShot.picture(tmp.resolve("picture.png"), 80, 60, 11);
        logits = BruteForceZeroShot.tinyLogits(image, PROMPTS);
    }

    private static SelfCheck selfCheck() {
        HubSettings offline = HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1"), Path.of("/nonexistent"));
        return new SelfCheck(new ClipLoader(new HubClient(offline), EncoderOptions.defaults()));
    }

    /** The brute-force probabilities after moving each logit by {@code dz}, printed to 7 decimals. */
    private static ExpectedProbabilities expected(double... dz) {
        double[] z = logits.clone();
        for (int i = 0; i < dz.length; i++) {
            z[i] += dz[i];
        }
        double[] p = BruteForceZeroShot.softmax(z);
        List<String> printed = new ArrayList<>();
        for (double v : p) {
            printed.add(String.format(Locale.ROOT, "%.7f", v));
        }
        return ExpectedProbabilities.printed("brute force", PROMPTS, printed, true);
    }

    private static CaseResult run(ExpectedProbabilities e, Tolerance t, boolean int8) throws Exception {
        SelfCheckReport r = selfCheck().run("random:tiny", List.of(PublishedOutputs.custom(image, e, t)), int8);
        assertEquals("random:tiny", r.model());
        assertEquals(1 / 0.07, r.checkpointScale(), 1e-4);
        return r.cases().get(0);
    }

    @Test
    void matchesTheBruteForceForwardToFp32Precision() throws Exception {
        CaseResult r = run(expected(), new Tolerance(1e-3), false);
        assertTrue(r.verdict().pass(), r.verdict().toString());
        double[] p = BruteForceZeroShot.softmax(logits);
        for (int i = 0; i < p.length; i++) {
            // ORT fp32 vs a double forward: ~1e-6 relative in the embeddings
            assertEquals(p[i], r.probabilities().get(i), 1e-5, PROMPTS.get(i));
        }
        assertNull(r.int8());
        // the random model is not uniform: the check has something to find
        assertTrue(p[0] / p[1] > 1.05 || p[1] / p[0] > 1.05, java.util.Arrays.toString(p));
    }

    @Test
    void passesInsideTheToleranceAndFailsOutside() throws Exception {
        double d = Tolerance.FP16_GPU.maxLogitShift();
        assertTrue(run(expected(0.9 * d, -0.9 * d), Tolerance.FP16_GPU, false)
                .verdict()
                .pass());
        CaseResult out = run(expected(1.2 * d, -1.2 * d), Tolerance.FP16_GPU, false);
        assertFalse(out.verdict().pass());
        assertTrue(out.verdict().shiftSpread() > 2 * d, out.verdict().toString());
        assertFalse(
                run(expected(0, 0, 3 * d), Tolerance.FP16_GPU, false).verdict().pass());
    }

    @Test
    void int8IsReportedButDoesNotDecide() throws Exception {
        CaseResult r = run(expected(), new Tolerance(1e-3), true);
        assertTrue(r.verdict().pass());
        CaseResult.Int8Drift d = r.int8();
        assertNotNull(d);
        assertEquals(PROMPTS.size(), d.probabilities().size());
        double maxAbs = 0;
        for (int i = 0; i < PROMPTS.size(); i++) {
            maxAbs = Math.max(
                    maxAbs,
                    Math.abs(d.probabilities().get(i) - r.probabilities().get(i)));
        }
        assertEquals(maxAbs, d.maxAbsDifference(), 1e-15);
        // int8 moves random tiny's probabilities a little (pooled cosine >= 0.999 in Int8VisionEncoderTest)
        assertTrue(d.maxAbsLogitShift() < 0.1, "int8 drift " + d.maxAbsLogitShift());
    }
}
