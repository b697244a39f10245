package dev.runa.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AdamWTest {

    @Test
    void twoStepsMatchAHandComputedReference() {
        double lr = 0.1;
        double wd = 0.01;
        AdamW opt = new AdamW(2, AdamW.Settings.of(lr, wd));
        float[] w = {1.0f, -2.0f};

        // Step 1, g = (0.5, -1): m = 0.1 g, v = 0.001 g^2, m_hat = g, v_hat = g^2,
        // so w <- w (1 - lr wd) - lr g / (|g| + eps).
        opt.step(w, new double[] {0.5, -1.0});
        double w0 = 1.0 * (1 - lr * wd) - lr * 0.5 / (0.5 + 1e-8);
        double w1 = -2.0 * (1 - lr * wd) - lr * -1.0 / (1.0 + 1e-8);
        // 1e-7: the parameters are stored as float (24-bit mantissa).
        assertEquals(w0, w[0], 1e-7);
        assertEquals(w1, w[1], 1e-7);

        // Step 2, g = (0.25, 0): m = 0.9 * 0.05 + 0.1 * 0.25 = 0.07, v = 0.999 * 0.00025 + 0.001 * 0.0625;
        // m_hat = m / (1 - 0.81), v_hat = v / (1 - 0.998001).
        opt.step(w, new double[] {0.25, 0.0});
        double m = 0.9 * 0.05 + 0.1 * 0.25;
        double v = 0.999 * 0.00025 + 0.001 * 0.0625;
        double expected0 = (float) w0 * (1 - lr * wd) - lr * (m / 0.19) / (Math.sqrt(v / (1 - 0.998001)) + 1e-8);
        double m1 = 0.9 * -0.1;
        double v1 = 0.999 * 0.001;
        double expected1 = (float) w1 * (1 - lr * wd) - lr * (m1 / 0.19) / (Math.sqrt(v1 / (1 - 0.998001)) + 1e-8);
        assertEquals(expected0, w[0], 1e-6);
        assertEquals(expected1, w[1], 1e-6);
        assertEquals(2, opt.steps());
    }

    @Test
    void zeroGradientOnlyDecays() {
        AdamW opt = new AdamW(1, AdamW.Settings.of(0.5, 0.1));
        float[] w = {2.0f};
        opt.step(w, new double[] {0});
        assertEquals(2.0 * (1 - 0.05), w[0], 1e-6);
    }
}
