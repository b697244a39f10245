package dev.runa.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.ood.Projection;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContrastiveLossTest {

    private static float[] randn(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    private static void checkAgainstFiniteDifferences(double temperature, double h, double tolerance) {
        Random r = new Random(11);
        int p = 5;
        int d = 7;
        int k = 4;
        int n = 6;
        float[][] prompts = new float[k][];
        for (int j = 0; j < k; j++) {
            prompts[j] = Projection.normalize(randn(r, p, 1));
        }
        float[][] feats = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            feats[i] = randn(r, d, 1);
            labels[i] = i % k;
        }
        int[] idx = {0, 1, 2, 3, 4, 5};
        float[] w = randn(r, p * d, 0.5);
        ContrastiveLoss loss = new ContrastiveLoss(prompts, temperature);
        double[] grad = new double[w.length];
        loss.lossAndGradient(w, p, d, feats, labels, idx, grad);
        double maxGrad = 0;
        for (double g : grad) {
            maxGrad = Math.max(maxGrad, Math.abs(g));
        }
        for (int i = 0; i < w.length; i++) {
            float orig = w[i];
            w[i] = (float) (orig + h);
            double up = loss.lossAndGradient(w, p, d, feats, labels, idx, null);
            double hUp = w[i] - orig; // the step actually representable in float
            w[i] = (float) (orig - h);
            double down = loss.lossAndGradient(w, p, d, feats, labels, idx, null);
            double hDown = orig - w[i];
            w[i] = orig;
            double fd = (up - down) / (hUp + hDown);
            assertEquals(fd, grad[i], tolerance * maxGrad, "d loss / d w[" + i + "] at tau " + temperature);
        }
    }

    @Test
    void gradientMatchesCentralDifferencesAtTemperatureOne() {
        // Central differences err by O(h^2) * third derivative: at h = 1e-3 and tau = 1 that is ~1e-6 of the
        // gradient scale; 1e-4 leaves room for float rounding of w +- h.
        checkAgainstFiniteDifferences(1.0, 1e-3, 1e-4);
    }

    @Test
    void gradientMatchesCentralDifferencesAtClipTemperature() {
        // tau = 0.01 multiplies curvature by 100 per derivative order, so use a smaller step; the float grid
        // around |w| ~ 0.5 is 6e-8, i.e. 6e-4 relative to h = 1e-4: hence the 2e-3 bound.
        checkAgainstFiniteDifferences(0.01, 1e-4, 2e-3);
    }

    @Test
    void lossOfAUniformPredictionIsLogK() {
        // All prompts equal -> every logit equal -> loss = log K whatever the projection.
        float[][] prompts = {{1, 0}, {1, 0}, {1, 0}};
        ContrastiveLoss loss = new ContrastiveLoss(prompts, 0.01);
        double l = loss.lossAndGradient(
                new float[] {1, 2, 3, 4}, 2, 2, new float[][] {{1, 1}}, new int[] {2}, new int[] {0}, null);
        assertEquals(Math.log(3), l, 1e-12);
    }

    @Test
    void trainingLowersTheLossOnSeparableData() {
        Random r = new Random(5);
        int p = 8;
        int d = 16;
        int k = 3;
        float[][] prompts = new float[k][];
        for (int j = 0; j < k; j++) {
            prompts[j] = Projection.normalize(randn(r, p, 1));
        }
        float[][] centres = new float[k][];
        for (int j = 0; j < k; j++) {
            centres[j] = randn(r, d, 1);
        }
        int n = 60;
        float[][] feats = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % k;
            feats[i] = randn(r, d, 0.3);
            for (int t = 0; t < d; t++) {
                feats[i][t] += centres[labels[i]][t];
            }
        }
        Projection init = new Projection(randn(r, p * d, 0.2), p, d);
        TrainingSettings s = new TrainingSettings(1e-2, 0.01, 16, 50, 0.01, 1);
        ProjectionTrainer.Result res = new ProjectionTrainer(s).train(feats, labels, prompts, init, null);
        assertEquals(50, res.epochLosses().length);
        assertTrue(res.finalLoss() < 0.5 * res.initialLoss(), "loss " + res.initialLoss() + " -> " + res.finalLoss());
        // Same seed, same result: training is reproducible.
        ProjectionTrainer.Result again = new ProjectionTrainer(s).train(feats, labels, prompts, init, null);
        assertEquals(res.finalLoss(), again.finalLoss(), 0);
    }
}
