package dev.runa.detect;

/**
 * OpenCV's {@code cv::resize(..., INTER_LINEAR)} on 8-bit interleaved images, bit for bit where
 * the rules below are OpenCV's, so that a detector sees the pixels it was validated on.
 *
 * <p>Rules (OpenCV 4.x {@code resize.cpp}, generic fixed-point path):
 *
 * <ul>
 *   <li>Source coordinate of output column {@code dx}: {@code fx = (float) ((dx + 0.5) * scale - 0.5)}
 *       with {@code scale = 1 / (dstW / (double) srcW)}; {@code sx = floor(fx)}, {@code fx -= sx}.
 *       Left of the first pixel ({@code sx < 0}) and at or past the last one ({@code sx >= srcW - 1})
 *       the weight collapses onto the edge pixel ({@code fx = 0}): edge replication.
 *   <li>Rows alike, except that the row weights are never collapsed: outside the image both source
 *       rows are the clamped edge row, each with its own weight (this matters for the rounding of
 *       the vertical pass below, by one level, on the first and last rows of an enlargement).
 *   <li>Weights are 11-bit fixed point: {@code round((1 - f) * 2048)} and {@code round(f * 2048)},
 *       each rounded half to even (OpenCV's {@code saturate_cast<short>}).
 *   <li>Horizontal pass: {@code h = a0 * p[sx] + a1 * p[sx + 1]} (exact integers).
 *   <li>Vertical pass as OpenCV's SIMD kernel, which produces almost every pixel of a row:
 *       {@code (((b0 * (h0 >> 4)) >> 16) + ((b1 * (h1 >> 4)) >> 16) + 2) >> 2}, clamped to 0..255.
 *       OpenCV's scalar tail ({@code (b0 * h0 + b1 * h1 + 2^21) >> 22}) could differ from it by one
 *       level on the last samples of a row; on the goldens (OpenCV 4.6) every sample matches.
 *   <li>An exact 2x reduction in both directions is done as OpenCV does it, by INTER_AREA:
 *       {@code (p00 + p01 + p10 + p11 + 2) >> 2}.
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class LinearResize {
    private static final int COEF_BITS = 11;
    private static final int COEF_SCALE = 1 << COEF_BITS;

    private LinearResize() {}

    /**
     * Resizes {@code src} ({@code srcW x srcH}, {@code bands} interleaved unsigned bytes per pixel).
     *
     * @return a new {@code dstW x dstH} image in the same layout
     */
    public static byte[] resize(byte[] src, int srcW, int srcH, int bands, int dstW, int dstH) {
        if (srcW < 1 || srcH < 1 || dstW < 1 || dstH < 1 || bands < 1) {
            throw new IllegalArgumentException(
                    "resize " + srcW + "x" + srcH + " -> " + dstW + "x" + dstH + ": sizes must be >= 1");
        }
        if ((long) srcW * srcH * bands != src.length) {
            throw new IllegalArgumentException("resize: " + src.length + " samples for " + srcW + "x" + srcH);
        }
        if (srcW == 2 * dstW && srcH == 2 * dstH) {
            return halve(src, srcW, bands, dstW, dstH);
        }
        int[] xofs = new int[dstW];
        int[] xalpha = new int[dstW * 2];
        coefficients(srcW, dstW, xofs, xalpha, true);
        int[] yofs = new int[dstH];
        int[] yalpha = new int[dstH * 2];
        coefficients(srcH, dstH, yofs, yalpha, false);
        int rowLen = dstW * bands;
        byte[] out = new byte[dstH * rowLen];
        int[] h0 = new int[rowLen];
        int[] h1 = new int[rowLen];
        int rowIn0 = -1;
        int rowIn1 = -1;
        for (int dy = 0; dy < dstH; dy++) {
            int sy0 = Math.max(0, Math.min(yofs[dy], srcH - 1));
            int sy1 = Math.max(0, Math.min(yofs[dy] + 1, srcH - 1));
            // Reuse horizontally resized rows between output rows, as OpenCV's ring buffer does.
            if (sy0 != rowIn0) {
                if (sy0 == rowIn1) {
                    System.arraycopy(h1, 0, h0, 0, rowLen);
                } else {
                    horizontal(src, sy0, srcW, bands, dstW, xofs, xalpha, h0);
                }
                rowIn0 = sy0;
            }
            if (sy1 != rowIn1) {
                if (sy1 == rowIn0) {
                    System.arraycopy(h0, 0, h1, 0, rowLen);
                } else {
                    horizontal(src, sy1, srcW, bands, dstW, xofs, xalpha, h1);
                }
                rowIn1 = sy1;
            }
            int b0 = yalpha[dy * 2];
            int b1 = yalpha[dy * 2 + 1];
            int o = dy * rowLen;
            for (int i = 0; i < rowLen; i++) {
                int v = (((b0 * (h0[i] >> 4)) >> 16) + ((b1 * (h1[i] >> 4)) >> 16) + 2) >> 2;
                out[o + i] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return out;
    }

    /**
     * Source index and the two fixed-point weights of each output position along one axis;
     * {@code collapse} moves the weight onto the edge sample outside the image (columns only).
     */
    static void coefficients(int srcSize, int dstSize, int[] ofs, int[] alpha, boolean collapse) {
        double scale = 1.0 / ((double) dstSize / srcSize);
        for (int d = 0; d < dstSize; d++) {
            float f = (float) ((d + 0.5) * scale - 0.5);
            int s = (int) Math.floor(f);
            f -= s;
            if (collapse && s < 0) {
                f = 0;
                s = 0;
            }
            if (collapse && s >= srcSize - 1) {
                f = 0;
                s = srcSize - 1;
            }
            ofs[d] = s;
            alpha[d * 2] = (int) Math.rint((1.f - f) * COEF_SCALE);
            alpha[d * 2 + 1] = (int) Math.rint(f * COEF_SCALE);
        }
    }

    private static void horizontal(
            byte[] src, int row, int srcW, int bands, int dstW, int[] xofs, int[] xalpha, int[] out) {
        int base = row * srcW * bands;
        for (int dx = 0; dx < dstW; dx++) {
            int sx = xofs[dx];
            int a0 = xalpha[dx * 2];
            int a1 = xalpha[dx * 2 + 1];
            int p0 = base + sx * bands;
            int p1 = sx + 1 < srcW ? p0 + bands : p0;
            for (int c = 0; c < bands; c++) {
                out[dx * bands + c] = (src[p0 + c] & 0xff) * a0 + (src[p1 + c] & 0xff) * a1;
            }
        }
    }

    // OpenCV turns an exact 2x INTER_LINEAR reduction into its fast INTER_AREA path.
    private static byte[] halve(byte[] src, int srcW, int bands, int dstW, int dstH) {
        byte[] out = new byte[dstW * dstH * bands];
        int srcRow = srcW * bands;
        for (int dy = 0; dy < dstH; dy++) {
            int r0 = 2 * dy * srcRow;
            int r1 = r0 + srcRow;
            for (int dx = 0; dx < dstW; dx++) {
                for (int c = 0; c < bands; c++) {
                    int i = 2 * dx * bands + c;
                    int sum = (src[r0 + i] & 0xff)
                            + (src[r0 + i + bands] & 0xff)
                            + (src[r1 + i] & 0xff)
                            + (src[r1 + i + bands] & 0xff);
                    out[(dy * dstW + dx) * bands + c] = (byte) ((sum + 2) >> 2);
                }
            }
        }
        return out;
    }
}
