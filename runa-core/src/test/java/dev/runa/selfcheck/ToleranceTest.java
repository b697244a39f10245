package dev.runa.selfcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ToleranceTest {
    private static final double D = Tolerance.FP16_GPU.maxLogitShift();

    private static ExpectedProbabilities exact(double[] p, boolean complete, int count) {
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<Double> half = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            labels.add("c" + i);
            values.add(p[i]);
            half.add(0.0);
        }
        return new ExpectedProbabilities("test", labels, values, half, complete);
    }

    private static Map<String, Double> byLabel(double[] p) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < p.length; i++) {
            m.put("c" + i, p[i]);
        }
        return m;
    }

    private static double[] plus(double[] z, double[] dz) {
        double[] out = z.clone();
        for (int i = 0; i < z.length; i++) {
            out[i] += dz[i];
        }
        return out;
    }

    /**
     * The claim the tolerance rests on, checked by brute force: logits each moved by at most D never
     * fail (whatever the logits, including peaked ones like CLIP.png's), and moving two labels' logits
     * apart by just over 2D always does.
     */
    @Test
    void logitShiftsUpToDAlwaysPassAndRelativeShiftsBeyond2DFail() {
        SplittableRandom rnd = new SplittableRandom(7);
        double worst = 0;
        for (int trial = 0; trial < 2000; trial++) {
            int n = 2 + rnd.nextInt(9);
            double[] z = new double[n];
            for (int i = 0; i < n; i++) {
                z[i] = 30 * rnd.nextDouble();
            }
            // descending, so that c0 and c1 are the top 2 when judged as a published top-k
            Arrays.sort(z);
            for (int i = 0; i < n / 2; i++) {
                double t = z[i];
                z[i] = z[n - 1 - i];
                z[n - 1 - i] = t;
            }
            double[] dz = new double[n];
            for (int i = 0; i < n; i++) {
                dz[i] = 0.999 * D * (rnd.nextBoolean() ? 1 : -1) * (trial % 2 == 0 ? 1 : rnd.nextDouble());
            }
            double[] p = ZeroShot.softmax(z);
            double[] q = ZeroShot.softmax(plus(z, dz));
            Comparison c = Tolerance.FP16_GPU.judge(byLabel(q), exact(p, true, n));
            assertTrue(c.pass(), "trial " + trial);
            worst = Math.max(worst, c.shiftSpread());
            // A published top-k (incomplete) of the same numbers passes too.
            assertTrue(Tolerance.FP16_GPU
                    .judge(byLabel(q), exact(p, false, Math.min(n, 2)))
                    .pass());

            double[] apart = new double[n];
            apart[0] = 1.01 * D;
            apart[1] = -1.01 * D;
            assertFalse(
                    Tolerance.FP16_GPU
                            .judge(byLabel(ZeroShot.softmax(plus(z, apart))), exact(p, true, n))
                            .pass(),
                    "trial " + trial);
        }
        assertTrue(worst <= 2 * D + 1e-12 && worst > 1.9 * D, "worst spread " + worst);
    }

    @Test
    void theReadmeExampleToleratesWhatFp16CanDoAndNoMore() {
        ExpectedProbabilities published = ExpectedProbabilities.printed(
                "README", PublishedOutputs.CLIP_PNG_LABELS, PublishedOutputs.CLIP_PNG_PROBABILITIES, true);
        Map<String, Double> same = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            same.put(published.labels().get(i), published.values().get(i));
        }
        assertTrue(Tolerance.FP16_GPU.judge(same, published).pass());
        // "a dog" 30% more likely at the cost of "a diagram": a relative logit change of 0.26 < 0.4.
        Map<String, Double> moved = new LinkedHashMap<>(same);
        moved.put("a dog", 0.00421068 * 1.3);
        moved.put("a diagram", 0.9927937 - 0.00421068 * 0.3);
        assertTrue(Tolerance.FP16_GPU.judge(moved, published).pass());
        // "a dog" twice as likely: ln 2 = 0.69 > 0.4.
        moved.put("a dog", 0.00421068 * 2);
        moved.put("a diagram", 0.9927937 - 0.00421068);
        Comparison c = Tolerance.FP16_GPU.judge(moved, published);
        assertFalse(c.pass());
        assertFalse(c.rows().get(1).ok());
        assertEquals(Math.log(2), c.rows().get(1).logitShift(), 1e-9);
    }

    @Test
    void thePublishedRoundingIsNotCountedAsADifference() {
        ExpectedProbabilities twoDigits =
                ExpectedProbabilities.printed("x", List.of("a", "b"), List.of("65.31%", "34.69%"), true);
        Tolerance tight = new Tolerance(1e-6);
        assertTrue(tight.judge(Map.of("a", 0.653149, "b", 0.346851), twoDigits).pass());
        assertFalse(tight.judge(Map.of("a", 0.65316, "b", 0.34684), twoDigits).pass());
    }

    @Test
    void aLabelOutsideAPublishedTopKMayNotRiseAboveIt() {
        ExpectedProbabilities top2 =
                ExpectedProbabilities.printed("x", List.of("a", "b"), List.of("0.50", "0.20"), false);
        Map<String, Double> ok = Map.of("a", 0.5, "b", 0.2, "c", 0.25, "d", 0.05);
        assertTrue(Tolerance.FP16_GPU.judge(ok, top2).pass());
        // c at 0.42 > (0.20 + 0.005) * exp(0.4) = 0.306, while a and b are each within the tolerance
        Map<String, Double> intruder = Map.of("a", 0.40, "b", 0.18, "c", 0.42);
        Comparison c = Tolerance.FP16_GPU.judge(intruder, top2);
        assertFalse(c.pass());
        assertEquals(List.of("c"), c.intruders());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(0));
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(Double.NaN));
        ExpectedProbabilities e = ExpectedProbabilities.printed("x", List.of("a", "b"), List.of("0.5", "0.5"), true);
        assertThrows(IllegalArgumentException.class, () -> Tolerance.FP16_GPU.judge(Map.of("a", 1.0), e));
        // a model that produced NaN (or underflowed to 0) fails, label by label
        Comparison nan = Tolerance.FP16_GPU.judge(Map.of("a", Double.NaN, "b", 0.0), e);
        assertFalse(nan.pass());
        assertFalse(nan.rows().get(0).ok());
        assertFalse(nan.rows().get(1).ok());
    }
}
