package dev.runa.ood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class IdScorerTest {

    /** Naive textbook formulas: no max-shift. Safe here because |s| <= 1 so exp(s / 0.01) <= e^100 fits a double. */
    private static double[] naive(double[] s) {
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double z1 = 0;
        double z100 = 0;
        for (double v : s) {
            max = Math.max(max, v);
            sum += v;
            z1 += Math.exp(v);
            z100 += Math.exp(v / 0.01);
        }
        double mcm1 = 0;
        double mcm100 = 0;
        for (double v : s) {
            mcm1 = Math.max(mcm1, Math.exp(v) / z1);
            mcm100 = Math.max(mcm100, Math.exp(v / 0.01) / z100);
        }
        return new double[] {max, mcm1, mcm100, sum, 0.01 * Math.log(z100)};
    }

    private static float[] unit(Random r, int d) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Projection.normalize(v);
    }

    @Test
    void everyScoreMatchesTheTextbookFormula() {
        Random r = new Random(7);
        int k = 20;
        int d = 16;
        float[][] prompts = new float[k][];
        for (int i = 0; i < k; i++) {
            prompts[i] = unit(r, d);
        }
        IdScorer scorer = new IdScorer(prompts);
        for (int trial = 0; trial < 50; trial++) {
            float[] e = unit(r, d);
            double[] s = new double[k];
            int best = 0;
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < d; j++) {
                    s[i] += (double) prompts[i][j] * e[j];
                }
                if (s[i] > s[best]) {
                    best = i;
                }
            }
            double[] want = naive(s);
            BoxScores got = scorer.score(e);
            // 1e-12: both sides are double arithmetic over the same float inputs; only summation order differs.
            assertEquals(want[0], got.maxsim(), 1e-12);
            assertEquals(want[1], got.mcmT1(), 1e-12);
            assertEquals(want[2], got.mcmT001(), 1e-12);
            assertEquals(want[3], got.sum(), 1e-12);
            assertEquals(want[4], got.energyT001(), 1e-12);
            assertEquals(best, got.bestClass());
        }
    }

    @Test
    void handWorkedTwoClassCase() {
        BoxScores s = IdScorer.fromSimilarities(new double[] {0.3, 0.2});
        assertEquals(0.3, s.maxsim(), 0);
        assertEquals(0.5, s.sum(), 1e-15);
        // softmax at T=1: 1 / (1 + e^-0.1)
        assertEquals(1 / (1 + Math.exp(-0.1)), s.mcmT1(), 1e-15);
        // at T=0.01 the gap 0.1 becomes 10 nats: 1 / (1 + e^-10)
        assertEquals(1 / (1 + Math.exp(-10)), s.mcmT001(), 1e-14);
        assertEquals(0.3 + 0.01 * Math.log(1 + Math.exp(-10)), s.energyT001(), 1e-14);
        assertEquals(0, s.bestClass());
    }

    @Test
    void scoreKindKeysAreTheDocumentedOnes() {
        assertEquals("maxsim", ScoreKind.MAXSIM.key());
        assertEquals("mcm_t1", ScoreKind.MCM_T1.key());
        assertEquals("mcm_t0.01", ScoreKind.MCM_T001.key());
        assertEquals("sum", ScoreKind.SUM.key());
        assertEquals("energy_t0.01", ScoreKind.ENERGY_T001.key());
        assertEquals(ScoreKind.MCM_T001, ScoreKind.fromKey("mcm_t0.01"));
        assertThrows(IllegalArgumentException.class, () -> ScoreKind.fromKey("msp"));
    }

    @Test
    void rejectsMismatchedSizes() {
        IdScorer scorer = new IdScorer(new float[][] {{1, 0}, {0, 1}});
        assertThrows(IllegalArgumentException.class, () -> scorer.score(new float[] {1, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> new IdScorer(new float[0][]));
    }
}
