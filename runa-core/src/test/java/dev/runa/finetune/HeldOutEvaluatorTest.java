package dev.runa.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.ood.Projection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeldOutEvaluatorTest {
    @Test
    void argmaxCosineOnAHandCase() {
        // P swaps the two input axes; prompts are the axes, the second one not unit length, to check
        // that cosine (not the raw dot product) decides.
        Projection swap = new Projection(new float[] {0, 1, 1, 0}, 2, 2);
        float[][] prompts = {{1, 0}, {0, 5}};
        float[][] features = {{1, 0}, {0, 1}, {0.6f, 0.5f}, {0.4f, 0.5f}, {0, 0}};
        // projected: (0,1)->1, (1,0)->0, (0.5,0.6)->1, (0.5,0.4)->0, zero -> -1
        HeldOutEvaluator ev = new HeldOutEvaluator(features, new int[] {1, 0, 0, 0, 0}, prompts);
        assertArrayEquals(new int[] {1, 0, 1, 0, -1}, ev.predictions(swap));
        assertEquals(3.0 / 5, ev.accuracy(swap), 0.0);
        assertEquals(5, ev.size());
    }

    @Test
    void agreesWithBruteForceCosine() {
        Random rng = new Random(3);
        int p = 6, d = 9, k = 4, n = 200;
        float[] w = new float[p * d];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.nextGaussian();
        }
        Projection proj = new Projection(w, p, d);
        float[][] prompts = new float[k][p];
        float[][] feats = new float[n][d];
        int[] labels = new int[n];
        for (float[] t : prompts) {
            for (int o = 0; o < p; o++) {
                t[o] = (float) rng.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                feats[i][j] = (float) rng.nextGaussian();
            }
            labels[i] = rng.nextInt(k);
        }
        int correct = 0;
        for (int i = 0; i < n; i++) {
            double[] z = new double[p];
            for (int o = 0; o < p; o++) {
                for (int j = 0; j < d; j++) {
                    z[o] += (double) w[o * d + j] * feats[i][j];
                }
            }
            int best = 0;
            double bestCos = -2;
            for (int c = 0; c < k; c++) {
                double dot = 0, nz = 0, nt = 0;
                for (int o = 0; o < p; o++) {
                    dot += z[o] * prompts[c][o];
                    nz += z[o] * z[o];
                    nt += (double) prompts[c][o] * prompts[c][o];
                }
                double cos = dot / Math.sqrt(nz * nt);
                if (cos > bestCos) {
                    bestCos = cos;
                    best = c;
                }
            }
            correct += best == labels[i] ? 1 : 0;
        }
        assertEquals((double) correct / n, new HeldOutEvaluator(feats, labels, prompts).accuracy(proj), 0.0);
    }

    @Test
    void rejectsBadLabels() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new HeldOutEvaluator(new float[][] {{1}}, new int[] {3}, new float[][] {{1}, {2}}));
        assertTrue(e.getMessage().contains("label 3 of sample 0"), e.getMessage());
    }

    @Test
    void splitIsStratifiedDisjointCompleteAndOrderIndependent() {
        List<LabelledRegion> in = FewShotSamplerTest.regions(10, 5, 1, 0);
        IdSplit s = IdSplit.split(in, 4, 0.3, 11);
        // round(0.3 * n): 3, 2 (1.5 rounds up), 0, 0
        assertEquals(
                List.of(0, 0, 0, 1, 1),
                s.heldOut().stream().map(LabelledRegion::classIndex).toList());
        Set<LabelledRegion> all = new HashSet<>(s.train());
        all.addAll(s.heldOut());
        assertEquals(new HashSet<>(in), all);
        assertEquals(in.size(), s.train().size() + s.heldOut().size());

        List<LabelledRegion> shuffled = new ArrayList<>(in);
        Collections.shuffle(shuffled, new Random(5));
        assertEquals(s, IdSplit.split(shuffled, 4, 0.3, 11));
        assertTrue(IdSplit.split(in, 4, 0, 11).heldOut().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> IdSplit.split(in, 4, 1.5, 11));
    }
}
