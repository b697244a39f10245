package dev.runa.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.data.Box;
import dev.runa.data.Detection;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DetectorBaselinesTest {
    // Both sides are double arithmetic on the same float inputs, differing only in the order and the
    // max-shift of the exponentials: agreement to ~1e-15 relative is expected, 1e-12 leaves margin.
    private static final double TOL = 1e-12;

    /** Textbook formulas, without the max shift (safe for the small logits used here). */
    private static double directMsp(float[] l, int k) {
        double sum = 0;
        double max = 0;
        for (int i = 0; i < k; i++) {
            sum += Math.exp(l[i]);
            max = Math.max(max, Math.exp(l[i]));
        }
        return max / sum;
    }

    private static double directEnergy(float[] l, int k) {
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += Math.exp(l[i]);
        }
        return Math.log(sum);
    }

    @Test
    void matchesDirectFormulasOverTheClassLogits() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int k = 1 + rnd.nextInt(20);
            float[] withBackground = new float[k + 1];
            for (int i = 0; i <= k; i++) {
                withBackground[i] = (float) (rnd.nextGaussian() * 4);
            }
            float[] classesOnly = Arrays.copyOf(withBackground, k);
            double msp = DetectorBaselines.msp(withBackground, k, "t");
            double energy = DetectorBaselines.energy(withBackground, k, "t");
            assertEquals(directMsp(classesOnly, k), msp, TOL);
            assertEquals(directEnergy(classesOnly, k), energy, TOL * Math.max(1, Math.abs(energy)));
            // A K-long vector (no background) gives the same values.
            assertEquals(msp, DetectorBaselines.msp(classesOnly, k, "t"), 0.0);
            assertEquals(energy, DetectorBaselines.energy(classesOnly, k, "t"), 0.0);
        }
    }

    @Test
    void backgroundLogitIsIgnored() {
        float[] a = {1f, 2f, 0.5f, -3f};
        float[] b = {1f, 2f, 0.5f, 50f};
        assertEquals(DetectorBaselines.msp(a, 3, "t"), DetectorBaselines.msp(b, 3, "t"), 0.0);
        assertEquals(DetectorBaselines.energy(a, 3, "t"), DetectorBaselines.energy(b, 3, "t"), 0.0);
        // Hand-worked: logsumexp(1, 2, 0.5) = ln(e + e^2 + e^0.5).
        assertEquals(Math.log(Math.E + Math.exp(2) + Math.exp(0.5)), DetectorBaselines.energy(a, 3, "t"), TOL);
        assertEquals(Math.exp(2) / (Math.E + Math.exp(2) + Math.exp(0.5)), DetectorBaselines.msp(a, 3, "t"), TOL);
    }

    @Test
    void largeLogitsStayFinite() {
        float[] l = {1000f, 999f, 0f};
        // logsumexp(1000, 999) = 1000 + ln(1 + e^-1), exactly by the shift identity.
        assertEquals(1000 + Math.log1p(Math.exp(-1)), DetectorBaselines.energy(l, 2, "t"), 1e-10);
        assertEquals(1 / (1 + Math.exp(-1)), DetectorBaselines.msp(l, 2, "t"), TOL);
    }

    @Test
    void mspFromProbabilitiesEqualsMspFromLogits() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 100; trial++) {
            int k = 2 + rnd.nextInt(15);
            float[] logits = new float[k + 1];
            double z = 0;
            for (int i = 0; i <= k; i++) {
                logits[i] = (float) (rnd.nextGaussian() * 3);
                z += Math.exp(logits[i]);
            }
            float[] probs = new float[k + 1];
            for (int i = 0; i <= k; i++) {
                probs[i] = (float) (Math.exp(logits[i]) / z);
            }
            // The probabilities are rounded to float (relative error <= 2^-24 each); the ratio of
            // such values is then off by at most a few 1e-7 relative, so 1e-6 absolute suffices.
            assertEquals(
                    DetectorBaselines.msp(logits, k, "t"), DetectorBaselines.mspFromProbabilities(probs, k, "t"), 1e-6);
        }
    }

    @Test
    void detectionGivesWhatItsFieldsAllow() {
        Box box = new Box(0, 0, 10, 10);
        float[] logits = {0.1f, 2f, -1f, 0.3f};
        Map<String, Double> both = DetectorBaselines.of(new Detection("img1", 2, box, 0.9, logits, null), 3);
        assertEquals(List.of(DetectorBaselines.MSP_KEY, DetectorBaselines.ENERGY_KEY), List.copyOf(both.keySet()));
        assertEquals(DetectorBaselines.energy(logits, 3, "t"), both.get(DetectorBaselines.ENERGY_KEY), 0.0);
        Map<String, Double> mspOnly =
                DetectorBaselines.of(new Detection("img1", 2, box, 0.9, null, new float[] {0.2f, 0.5f, 0.1f, 0.2f}), 3);
        // 0.5 / (0.2 + 0.5 + 0.1) with the inputs rounded to float: off from 0.625 by ~3e-9.
        assertEquals(List.of(DetectorBaselines.MSP_KEY), List.copyOf(mspOnly.keySet()));
        assertEquals(0.625, mspOnly.get(DetectorBaselines.MSP_KEY), 1e-7);
        assertTrue(DetectorBaselines.of(new Detection("img1", 2, box, 0.9), 3).isEmpty());
    }

    @Test
    void sampleFromDetectionCarriesClipScoresThenBaselines() {
        float[] logits = {0.1f, 2f, -1f, 0.3f};
        Detection d = new Detection("img9", 2, new Box(1, 2, 3, 4), 0.75, logits, null);
        ScoredSample s = ScoredSample.of(d, "bus", new dev.runa.ood.BoxScores(0.3, 0.2, 0.9, 1.5, 0.35, 1), 3);
        assertEquals(
                java.util.List.of("maxsim", "mcm_t1", "mcm_t0.01", "sum", "energy_t0.01", "det_msp", "det_energy"),
                List.copyOf(s.scores().keySet()));
        assertEquals(0.9, s.score("mcm_t0.01"), 0.0);
        assertEquals(DetectorBaselines.msp(logits, 3, "t"), s.score("det_msp"), 0.0);
        assertEquals("img9", s.imageId());
        assertEquals(0.75, s.confidence(), 0.0);
        assertEquals(2, s.categoryId());
    }

    @Test
    void wrongLengthNamesImageAndExpectation() {
        Detection d = new Detection("img42", 1, new Box(0, 0, 1, 1), 0.5, new float[5], null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DetectorBaselines.of(d, 20));
        assertTrue(
                e.getMessage().contains("detection on image img42: 5 logits (inter_feat), expected 20"),
                e.getMessage());
        assertTrue(e.getMessage().contains("21 (K classes + background last)"), e.getMessage());
    }
}
