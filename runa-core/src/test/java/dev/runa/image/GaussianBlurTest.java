package dev.runa.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The extended box blur against its defining properties and a Gaussian. */
class GaussianBlurTest {

    @Test
    void radiusOneGivesTheExtendedBoxOfGwosdek() {
        // sigma^2 = 1/3 per pass: l = 0 and a = -3 sigma^2 / (6 (sigma^2 - 1)) = 0.25 (Gwosdek et
        // al. eq. 14): the centre tap plus two taps of weight a, total length 1 + 2a = 1.5.
        assertEquals(0.25f, GaussianBlur.boxRadius(1f, 3), 1e-6f);
        // Radius 0 blurs nothing.
        assertEquals(0f, GaussianBlur.boxRadius(0f, 3));
    }

    @Test
    void constantImageStaysConstant() {
        PixelImage img = TestImages.constant(PixelMode.RGB, 17, 9, 0, 128, 255);
        for (float r : new float[] {0.5f, 1f, 3f, 20f}) {
            assertEquals(img, GaussianBlur.blur(img, r), "radius " + r);
        }
    }

    @Test
    void impulseSpreadsLikeAGaussianAndKeepsItsMass() {
        int n = 41;
        byte[] d = new byte[n * n];
        d[20 * n + 20] = (byte) 255;
        PixelImage out = GaussianBlur.blur(new PixelImage(n, n, PixelMode.L, d), 2f);
        long sum = out.sampleSum();
        // Rounding to 8 bits after each of the six passes loses or gains a little mass per pixel.
        assertTrue(Math.abs(sum - 255) <= 40, "mass " + sum);
        // Symmetric about the centre in both axes.
        for (int k = 1; k < 6; k++) {
            assertEquals(out.sample(20 - k, 20, 0), out.sample(20 + k, 20, 0));
            assertEquals(out.sample(20, 20 - k, 0), out.sample(20, 20 + k, 0));
        }
        // Peak near 255 / (2 pi sigma^2) = 10.1 for sigma = 2 (the 8-bit passes blur it slightly).
        int peak = out.sample(20, 20, 0);
        assertTrue(peak >= 7 && peak <= 13, "peak " + peak);
        // Second moment along x close to sigma^2 = 4.
        double m = 0;
        double mass = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double v = out.sample(x, y, 0);
                m += v * (x - 20) * (x - 20);
                mass += v;
            }
        }
        assertEquals(4.0, m / mass, 0.8, "variance along x");
    }

    @Test
    void zeroRadiusIsIdentityAndBadInputIsRefused() {
        PixelImage img = TestImages.make(PixelMode.RGB, 5, 4);
        assertSame(img, GaussianBlur.blur(img, 0f));
        assertThrows(IllegalArgumentException.class, () -> GaussianBlur.blur(img, -1f));
        assertThrows(IllegalArgumentException.class, () -> GaussianBlur.blur(img, Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> GaussianBlur.blur(TestImages.make(PixelMode.P, 5, 4), 1f));
    }

    /**
     * The transposed implementation against a line-by-line one (Pillow's ImagingLineBoxBlur8 per
     * row and band, clamped taps), byte for byte on random images, sizes (1 px lines, radii longer
     * than the image) and radii.
     */
    @Test
    void transposedPassesEqualPillowsLineByLineBlur() {
        java.util.Random rnd = new java.util.Random(14);
        for (int trial = 0; trial < 60; trial++) {
            PixelMode mode = new PixelMode[] {PixelMode.L, PixelMode.RGB, PixelMode.RGBA}[rnd.nextInt(3)];
            int w = 1 + rnd.nextInt(trial < 10 ? 4 : 70);
            int h = 1 + rnd.nextInt(trial < 10 ? 4 : 70);
            byte[] px = new byte[w * h * mode.bands()];
            rnd.nextBytes(px);
            PixelImage img = new PixelImage(w, h, mode, px);
            float radius = rnd.nextFloat() * 6;
            float box = GaussianBlur.boxRadius(radius, GaussianBlur.PASSES);
            if (box == 0) {
                continue;
            }
            assertArrayEquals(
                    lineByLine(img, box, GaussianBlur.PASSES),
                    GaussianBlur.blur(img, radius).samples(),
                    w + "x" + h + " " + mode + " radius " + radius);
        }
    }

    private static byte[] lineByLine(PixelImage image, float radius, int passes) {
        int w = image.width();
        int h = image.height();
        int b = image.bands();
        int r = (int) radius;
        long ww = (long) ((float) (1 << 24) / (radius * 2 + 1));
        long fw = ((1L << 24) - (r * 2L + 1) * ww) / 2;
        byte[] cur = image.samples();
        byte[] next = new byte[cur.length];
        for (int pass = 0; pass < passes; pass++) {
            for (int y = 0; y < h; y++) {
                for (int c = 0; c < b; c++) {
                    blurLine(cur, next, y * w * b + c, b, w, r, ww, fw);
                }
            }
            byte[] t = cur;
            cur = next;
            next = t;
        }
        for (int pass = 0; pass < passes; pass++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < b; c++) {
                    blurLine(cur, next, x * b + c, w * b, h, r, ww, fw);
                }
            }
            byte[] t = cur;
            cur = next;
            next = t;
        }
        return cur;
    }

    private static void blurLine(byte[] in, byte[] out, int start, int stride, int n, int r, long ww, long fw) {
        int last = n - 1;
        long acc = 0;
        for (int k = -r - 1; k <= r - 1; k++) {
            acc += in[start + Math.max(0, Math.min(k, last)) * stride] & 0xFF;
        }
        for (int x = 0; x < n; x++) {
            int left = in[start + Math.max(0, Math.min(x - r - 1, last)) * stride] & 0xFF;
            acc += (in[start + Math.max(0, Math.min(x + r, last)) * stride] & 0xFF) - left;
            long far = left + (in[start + Math.max(0, Math.min(x + r + 1, last)) * stride] & 0xFF);
            out[start + x * stride] = (byte) ((acc * ww + far * fw + (1 << 23)) >> 24);
        }
    }
}
