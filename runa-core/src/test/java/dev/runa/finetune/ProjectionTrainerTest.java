package dev.runa.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runa.ood.Projection;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The trainer's fast paths against plain evaluations. */
class ProjectionTrainerTest {
    static final int N = 7, D = 12, P = 5, K = 3;

    private static float[][] gaussian(Random rng, int rows, int cols, double scale) {
        float[][] m = new float[rows][cols];
        for (float[] r : m) {
            for (int j = 0; j < cols; j++) {
                r[j] = (float) (rng.nextGaussian() * scale);
            }
        }
        return m;
    }

    @Test
    void blockedProjectionEqualsOneDotProductPerOutput() {
        Random rng = new Random(3);
        float[][] f = gaussian(rng, N, D, 1);
        float[] w = gaussian(rng, 1, P * D, 0.3)[0];
        int[] idx = {6, 0, 3, 1, 5, 2, 4}; // 7 samples: one block of four and a tail of three
        double[][] z = ContrastiveLoss.project(w, P, D, f, idx);
        for (int k = 0; k < N; k++) {
            for (int o = 0; o < P; o++) {
                double ref = 0;
                for (int i = 0; i < D; i++) {
                    ref += (double) (w[o * D + i] * f[idx[k]][i]);
                }
                // the same float products summed in the same order per sample: equal up to double rounding
                assertEquals(ref, z[k][o], 1e-12, "sample " + k + ", output " + o);
            }
        }
    }

    @Test
    void fullBatchEpochLossesEqualSeparateEvaluations() {
        Random rng = new Random(4);
        float[][] f = gaussian(rng, N, D, 1);
        int[] labels = {0, 1, 2, 0, 1, 2, 0};
        float[][] prompts = gaussian(rng, K, P, 1);
        for (int j = 0; j < K; j++) {
            prompts[j] = Projection.normalize(prompts[j]);
        }
        Projection initial = new Projection(gaussian(rng, 1, P * D, 0.3)[0], P, D);
        ContrastiveLoss loss = new ContrastiveLoss(prompts, 0.05);
        int[] all = {0, 1, 2, 3, 4, 5, 6};
        List<Double> evaluated = new ArrayList<>();
        TrainingSettings s = new TrainingSettings(1e-2, 0.01, 256, 6, 0.05, 1); // batch 256 > 7 samples
        ProjectionTrainer.Result r = new ProjectionTrainer(s)
                .train(
                        f,
                        labels,
                        prompts,
                        initial,
                        (epoch, mean, current) ->
                                evaluated.add(loss.lossAndGradient(current.weight(), P, D, f, labels, all, null)));
        // taken from the next step's batch (shuffled order) instead of a pass in sample order: same mean up to
        // the rounding of a 7-term sum
        assertEquals(loss.lossAndGradient(initial.weight(), P, D, f, labels, all, null), r.initialLoss(), 1e-12);
        assertEquals(6, evaluated.size());
        for (int e = 0; e < 6; e++) {
            assertEquals(
                    evaluated.get(e), r.epochLosses()[e], 1e-12 * Math.max(1, evaluated.get(e)), "epoch " + (e + 1));
        }
    }
}
