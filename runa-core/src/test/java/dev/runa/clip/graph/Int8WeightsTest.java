package dev.runa.clip.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Int8WeightsTest {

    static float[] random(int n, long seed, double scale) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    @Test
    void roundTripIsWithinHalfAStepPerOutputChannel() {
        int out = 6;
        int in = 9;
        float[] w = random(out * in, 1, 0.05);
        for (int k = 0; k < in; k++) {
            w[2 * in + k] = 0; // an all-zero output channel
        }
        w[4 * in + 3] = 3f; // an outlier weight: only its own channel's scale grows
        Int8Weights.Quantized q = Int8Weights.quantize(w, out, in);
        for (int n = 0; n < out; n++) {
            float max = 0;
            for (int k = 0; k < in; k++) {
                max = Math.max(max, Math.abs(w[n * in + k]));
            }
            float expectedScale = max > 0 ? max / 127 : 1f;
            assertEquals(expectedScale, q.scales()[n], 0f, "scale of channel " + n);
            for (int k = 0; k < in; k++) {
                byte v = q.values()[k * out + n]; // [in][out] layout
                assertTrue(v >= -127 && v <= 127);
                // Rounding to the nearest step: error at most half a step (plus float rounding of w / scale).
                assertTrue(
                        Math.abs(q.dequantized(n, k) - w[n * in + k]) <= 0.5f * q.scales()[n] * (1 + 1e-5f),
                        "element [" + n + "][" + k + "]");
            }
        }
        assertEquals(127, q.values()[3 * out + 4], "the channel maximum maps to 127");
    }

    @Test
    void quantizedProductMatchesDirectComputation() {
        int out = 8;
        int in = 32;
        float[] w = random(out * in, 2, 0.1);
        float[] x = random(in, 3, 1.0);
        Int8Weights.Quantized q = Int8Weights.quantize(w, out, in);
        for (int n = 0; n < out; n++) {
            double viaInt = 0;
            double exact = 0;
            double bound = 0;
            for (int k = 0; k < in; k++) {
                viaInt += x[k] * (double) q.values()[k * out + n];
                exact += (double) x[k] * w[n * in + k];
                bound += Math.abs(x[k]) * 0.5 * q.scales()[n];
            }
            viaInt *= q.scales()[n];
            double viaDequantized = 0;
            for (int k = 0; k < in; k++) {
                viaDequantized += (double) x[k] * q.dequantized(n, k);
            }
            assertEquals(viaDequantized, viaInt, 1e-5 * Math.max(1, Math.abs(viaInt)), "channel " + n);
            assertTrue(Math.abs(viaInt - exact) <= bound * (1 + 1e-5), "channel " + n + " error vs half-step bound");
        }
    }

    @Test
    void smoothingScalesFollowTheFormulaAndPreserveTheProduct() {
        int out = 5;
        int in = 7;
        float[] w = random(out * in, 4, 0.05);
        float[] x = random(in, 5, 1.0);
        x[2] *= 30; // an outlier activation channel
        float[] actMax = new float[in];
        for (int k = 0; k < in; k++) {
            actMax[k] = Math.abs(x[k]);
        }
        actMax[6] = 0; // never active: s stays 1
        float[] wMax = Int8Weights.inputChannelMax(w, out, in);
        float[] s = Int8Weights.smoothingScales(actMax, wMax, 0.5);
        for (int k = 0; k < in - 1; k++) {
            assertEquals(Math.sqrt(actMax[k]) / Math.sqrt(wMax[k]), s[k], 1e-5 * s[k], "s[" + k + "]");
        }
        assertEquals(1f, s[6]);
        for (int n = 0; n < out; n++) {
            double plain = 0;
            double smoothed = 0;
            for (int k = 0; k < in; k++) {
                plain += (double) x[k] * w[n * in + k];
                smoothed += (double) (x[k] / s[k]) * (w[n * in + k] * s[k]);
            }
            // Only float32 rounding of the two scaled factors differs (~1e-7 relative each).
            assertEquals(plain, smoothed, 1e-5 * Math.max(1, Math.abs(plain)));
        }
        // The outlier channel's activation range shrinks to the geometric mean of the two ranges.
        assertTrue(actMax[2] / s[2] < actMax[2] / 4);
    }

    @Test
    void badInputIsRejectedWithTheProblem() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Int8Weights.quantize(new float[10], 3, 4));
        assertTrue(e.getMessage().contains("3 x 4"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> Int8Weights.smoothingScales(new float[3], new float[4], 0.5));
        assertThrows(
                IllegalArgumentException.class, () -> Int8Weights.smoothingScales(new float[3], new float[3], 1.5));
    }
}
