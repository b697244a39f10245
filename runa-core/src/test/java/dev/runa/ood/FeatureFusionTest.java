package dev.runa.ood;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureFusionTest {
    private static final Random RNG = new Random(3);

    private static float[] randn(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) RNG.nextGaussian();
        }
        return v;
    }

    /** Direct double-precision computation of norm(W x) with W row-major [out, in]. */
    private static double[] projectNormalize(float[] w, int out, int in, double[] x) {
        double[] y = new double[out];
        double n = 0;
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                y[o] += w[o * in + i] * x[i];
            }
            n += y[o] * y[o];
        }
        for (int o = 0; o < out; o++) {
            y[o] /= Math.sqrt(n);
        }
        return y;
    }

    private static void assertClose(double[] want, float[] got) {
        for (int i = 0; i < want.length; i++) {
            // 1e-6: unit vectors computed once in float, once in double.
            assertEquals(want[i], got[i], 1e-6, "component " + i);
        }
    }

    @Test
    void earlyFusionIsPaperEquation3() {
        int in = 12;
        int out = 5;
        float[] w = randn(out * in);
        Projection p = new Projection(w, out, in);
        float[] r = randn(in);
        float[] g = randn(in);
        for (double lambda : new double[] {0, 0.25, 0.5, 1}) {
            double[] f = new double[in];
            for (int i = 0; i < in; i++) {
                f[i] = lambda * r[i] + (1 - lambda) * g[i];
            }
            float[] e = new FeatureFusion(lambda, FusionMode.EARLY, p, p).embed(r, g);
            assertClose(projectNormalize(w, out, in, f), e);
        }
    }

    @Test
    void lateFusionUsesBothProjections() {
        int in = 8;
        int out = 4;
        float[] wr = randn(out * in);
        float[] wg = randn(out * in);
        float[] r = randn(in);
        float[] g = randn(in);
        double lambda = 0.3;
        double[] e = new double[out];
        double n = 0;
        for (int o = 0; o < out; o++) {
            double pr = 0;
            double pg = 0;
            for (int i = 0; i < in; i++) {
                pr += wr[o * in + i] * r[i];
                pg += wg[o * in + i] * g[i];
            }
            e[o] = lambda * pr + (1 - lambda) * pg;
            n += e[o] * e[o];
        }
        for (int o = 0; o < out; o++) {
            e[o] /= Math.sqrt(n);
        }
        float[] got = new FeatureFusion(
                        lambda, FusionMode.LATE, new Projection(wr, out, in), new Projection(wg, out, in))
                .embed(r, g);
        assertClose(e, got);
    }

    @Test
    void regionalOnlyIgnoresTheGlobalView() {
        Projection p = new Projection(randn(12), 3, 4);
        float[] r = randn(4);
        FeatureFusion re = new FeatureFusion(1, FusionMode.EARLY, p, p);
        assertArrayEquals(Projection.normalize(p.apply(r)), re.embed(r, null));
        assertEquals(false, re.needsGlobal());
    }

    @Test
    void rejectsLambdaOutsideUnitInterval() {
        Projection p = new Projection(randn(4), 2, 2);
        assertThrows(IllegalArgumentException.class, () -> new FeatureFusion(1.5, FusionMode.EARLY, p, p));
        assertThrows(IllegalArgumentException.class, () -> new FeatureFusion(Double.NaN, FusionMode.EARLY, p, p));
    }
}
