package dev.runa.image;

import java.util.Arrays;

/**
 * Pillow 9.4's {@code ImageFilter.GaussianBlur(radius)}, byte for byte.
 *
 * <p>Pillow approximates a Gaussian of standard deviation {@code radius} with three passes of an
 * "extended box blur" per axis (Gwosdek, Grewenig, Bruhn and Weickert, "Theoretical foundations of
 * Gaussian convolution by extended box filtering", SSVM 2011): from sigma^2 / 3 it derives an
 * integer box radius l and a fractional weight a for the two taps just outside the box. Each pass
 * computes, in fixed point with 24 fractional bits, {@code ww * sum(2l+1 taps) + fw * (2 edge taps)},
 * rounds to 8 bits, and replicates edge pixels. All horizontal passes run first, then the vertical
 * ones. The float/double mix of Pillow's radius computation ({@code libImaging/BoxBlur.c}) is kept
 * so the fixed-point weights come out identical.
 */
public final class GaussianBlur {
    /** Pillow's default number of box passes per axis. */
    public static final int PASSES = 3;

    private GaussianBlur() {}

    /**
     * Blurs every band of {@code image} (including alpha, as Pillow does) with a Gaussian of
     * standard deviation {@code radius} pixels. Palette and bilevel images are refused, as Pillow
     * refuses to filter them.
     *
     * @throws IllegalArgumentException for a negative or non-finite radius or a P/1 image
     */
    public static PixelImage blur(PixelImage image, float radius) {
        if (!(radius >= 0) || Float.isInfinite(radius)) {
            throw new IllegalArgumentException("Gaussian blur radius must be finite and >= 0, got " + radius);
        }
        if (image.mode().nearestOnly()) {
            throw new IllegalArgumentException("cannot blur a " + image.mode().pillowName()
                    + " image (Pillow refuses to filter palette/bilevel images); convert it to RGB first");
        }
        float boxRadius = boxRadius(radius, PASSES);
        if (boxRadius == 0) {
            return image;
        }
        return boxBlur(image, boxRadius, PASSES);
    }

    /** Pillow's {@code _gaussian_blur_radius}: extended box radius l + a for one of {@code passes} passes. */
    static float boxRadius(float radius, int passes) {
        float sigma2 = radius * radius / passes;
        float bigL = (float) Math.sqrt(12.0 * sigma2 + 1.0);
        float l = (float) Math.floor((bigL - 1.0) / 2.0);
        float a = (2 * l + 1) * (l * (l + 1) - 3 * sigma2);
        a /= 6 * (sigma2 - (l + 1) * (l + 1));
        return l + a;
    }

    /** Pillow's {@code ImagingBoxBlur} with equal radii on both axes and {@code passes} passes each. */
    static PixelImage boxBlur(PixelImage image, float radius, int passes) {
        int w = image.width();
        int h = image.height();
        int b = image.bands();
        int r = (int) radius;
        // (UINT32)(1 << 24) / (radius * 2 + 1) is a float division in C, truncated to an integer.
        long ww = (long) ((float) (1 << 24) / (radius * 2 + 1));
        long fw = ((1L << 24) - (r * 2L + 1) * ww) / 2;
        // Horizontal passes: on the transposed image they are vertical passes, which run along whole
        // rows at once (no per-tap index clamping, sequential memory); the arithmetic per line is
        // exactly Pillow's line blur either way, so the result is the same bytes ~2x faster.
        byte[] cur = transpose(image.raw(), w, h, b);
        byte[] next = new byte[cur.length];
        int[] acc = new int[Math.max(w, h) * b];
        for (int pass = 0; pass < passes; pass++) {
            verticalPass(cur, next, w, h * b, r, ww, fw, acc);
            byte[] t = cur;
            cur = next;
            next = t;
        }
        cur = transpose(cur, h, w, b);
        // Vertical passes: every column at once, walking down the rows (cache-friendly).
        int rowLen = w * b;
        for (int pass = 0; pass < passes; pass++) {
            verticalPass(cur, next, h, rowLen, r, ww, fw, acc);
            byte[] t = cur;
            cur = next;
            next = t;
        }
        return new PixelImage(w, h, image.mode(), cur, true);
    }

    /** The {@code h x w} image (bands kept together) of a {@code w x h} one, in 32-pixel tiles for the cache. */
    static byte[] transpose(byte[] in, int w, int h, int b) {
        byte[] out = new byte[in.length];
        final int tile = 32;
        for (int y0 = 0; y0 < h; y0 += tile) {
            int y1 = Math.min(h, y0 + tile);
            for (int x0 = 0; x0 < w; x0 += tile) {
                int x1 = Math.min(w, x0 + tile);
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        int src = (y * w + x) * b;
                        int dst = (x * h + y) * b;
                        for (int c = 0; c < b; c++) {
                            out[dst + c] = in[src + c];
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * One extended-box pass down the {@code h} rows of {@code rowLen} samples, every column at
     * once: Pillow's {@code ImagingLineBoxBlur8} per column. Computed in 32-bit unsigned arithmetic:
     * the weights sum to at most 2^24 ((2r+1) * ww + 2 * fw), so acc * ww + far * fw + 2^23 stays
     * below 255 * 2^24 + 2^23 < 2^32, and int products that wrap past 2^31 still give the exact
     * value read unsigned ({@code >>> 24}); int instead of long lets the JIT vectorise the loop.
     */
    private static void verticalPass(byte[] in, byte[] out, int h, int rowLen, int r, long ww, long fw, int[] acc) {
        int last = h - 1;
        int iww = (int) ww;
        int ifw = (int) fw;
        Arrays.fill(acc, 0, rowLen, 0);
        // Window centred on row -1: rows -r-1 .. r-1 (clamped).
        for (int k = -r - 1; k <= r - 1; k++) {
            int row = clamp(k, last) * rowLen;
            for (int i = 0; i < rowLen; i++) {
                acc[i] += in[row + i] & 0xFF;
            }
        }
        for (int y = 0; y < h; y++) {
            int add = clamp(y + r, last) * rowLen;
            int sub = clamp(y - r - 1, last) * rowLen;
            int far = clamp(y + r + 1, last) * rowLen;
            int o = y * rowLen;
            for (int i = 0; i < rowLen; i++) {
                int left = in[sub + i] & 0xFF;
                acc[i] += (in[add + i] & 0xFF) - left;
                int bulk = acc[i] * iww + (left + (in[far + i] & 0xFF)) * ifw;
                out[o + i] = (byte) ((bulk + (1 << 23)) >>> 24);
            }
        }
    }

    private static int clamp(int i, int last) {
        return i < 0 ? 0 : Math.min(i, last);
    }
}
