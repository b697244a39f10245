package dev.runa.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The project's parity criterion for network outputs (reference README): cosine similarity >=
 * 0.99999 and max|diff| <= 1e-4 * max|ref|. fp32 results move by ~1e-6 relative with batch
 * composition and BLAS kernels, so this leaves two orders of magnitude of headroom while still
 * catching any wrong weight, transpose or epsilon (those cost >= 1e-3).
 */
final class Parity {
    static final double MIN_COSINE = 0.99999;
    static final double MAX_RELATIVE_ERROR = 1e-4;

    private Parity() {}

    /** Asserts the project criterion and returns {cosine, relative max error} for reporting. */
    static double[] assertClose(double[] ref, float[] got, String what) {
        return assertClose(MIN_COSINE, MAX_RELATIVE_ERROR, ref, got, what);
    }

    /** As {@link #assertClose(double[], float[], String)} with explicit bounds (stated and justified by the caller). */
    static double[] assertClose(double minCos, double maxRel, double[] ref, float[] got, String what) {
        assertEquals(ref.length, got.length, what + ": length");
        double dot = 0, nr = 0, ng = 0, maxDiff = 0, maxRef = 0;
        for (int i = 0; i < ref.length; i++) {
            dot += ref[i] * got[i];
            nr += ref[i] * ref[i];
            ng += (double) got[i] * got[i];
            maxDiff = Math.max(maxDiff, Math.abs(ref[i] - got[i]));
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        double cos = dot / Math.sqrt(nr * ng);
        double rel = maxDiff / maxRef;
        assertTrue(cos >= minCos, what + ": cosine " + cos);
        assertTrue(rel <= maxRel, what + ": max|diff|/max|ref| = " + rel);
        return new double[] {cos, rel};
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
