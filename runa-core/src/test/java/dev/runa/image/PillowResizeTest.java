package dev.runa.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The resampler against properties and an independent double-precision reference. */
class PillowResizeTest {

    @Test
    void constantImageStaysConstant() {
        int[][] sizes = {{1, 1}, {7, 3}, {224, 224}, {300, 2}, {3, 300}};
        for (PixelMode mode : new PixelMode[] {PixelMode.L, PixelMode.RGB, PixelMode.RGBA}) {
            int[] value = {200, 17, 255, 255};
            PixelImage img = TestImages.constant(mode, 37, 23, value);
            for (int[] s : sizes) {
                PixelImage out = PillowResize.resize(img, s[0], s[1], ResampleFilter.BICUBIC);
                for (int y = 0; y < s[1]; y++) {
                    for (int x = 0; x < s[0]; x++) {
                        for (int c = 0; c < mode.bands(); c++) {
                            // Fixed-point weights sum to 2^22 up to a few units of rounding,
                            // far below the half level that would change a constant.
                            assertEquals(value[c], out.sample(x, y, c), mode + " " + s[0] + "x" + s[1]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void partialAlphaLosesPrecisionAsPillow() {
        // Premultiplying 200 by alpha 128 gives 100, unpremultiplying 255 * 100 / 128 = 199: Pillow
        // 9.4 returns (199, 17, 255, 128) for this constant image, not the input colour.
        PixelImage img = TestImages.constant(PixelMode.RGBA, 37, 23, 200, 17, 255, 128);
        PixelImage out = PillowResize.resize(img, 7, 3, ResampleFilter.BICUBIC);
        assertEquals(199, out.sample(3, 1, 0));
        assertEquals(17, out.sample(3, 1, 1));
        assertEquals(255, out.sample(3, 1, 2));
        assertEquals(128, out.sample(3, 1, 3));
    }

    @Test
    void sameSizeIsIdentity() {
        PixelImage img = TestImages.make(PixelMode.RGB, 9, 4);
        assertSame(img, PillowResize.resize(img, 9, 4, ResampleFilter.BICUBIC));
    }

    @Test
    void emptyTargetIsRefused() {
        PixelImage img = TestImages.make(PixelMode.L, 9, 4);
        assertThrows(IllegalArgumentException.class, () -> PillowResize.resize(img, 0, 4, ResampleFilter.BICUBIC));
    }

    // Keys' cubic convolution kernel with a = -0.5, in its textbook form.
    private static double keys(double x) {
        double t = Math.abs(x);
        if (t < 1) {
            return 1.5 * t * t * t - 2.5 * t * t + 1;
        }
        if (t < 2) {
            return -0.5 * t * t * t + 2.5 * t * t - 4 * t + 2;
        }
        return 0;
    }

    // Brute force: every input sample weighted by the kernel stretched by max(in/out, 1), the
    // weights renormalised over the samples inside the image; in double precision.
    private static double[] reference1d(int[] in, int outSize) {
        return reference1dDouble(Arrays.stream(in).asDoubleStream().toArray(), outSize);
    }

    @Test
    void oneAxisMatchesDoublePrecisionReferenceWithinRounding() {
        int w = 53;
        int[] row = new int[w];
        byte[] data = new byte[w];
        for (int x = 0; x < w; x++) {
            row[x] = TestImages.pattern(x, 3, 0);
            data[x] = (byte) row[x];
        }
        PixelImage img = new PixelImage(w, 1, PixelMode.L, data);
        for (int outW : new int[] {1, 2, 7, 20, 52, 54, 97, 200}) {
            double[] ref = reference1d(row, outW);
            PixelImage out = PillowResize.resize(img, outW, 1, ResampleFilter.BICUBIC);
            for (int x = 0; x < outW; x++) {
                double expected = Math.max(0, Math.min(255, ref[x]));
                // Pillow rounds half up from 22-bit fixed-point weights: the error of the weights is
                // at most ~13 taps * 255 * 2^-23 = 0.0004 level, so the result is within 0.5 + 0.001
                // of the exact value.
                assertTrue(
                        Math.abs(out.sample(x, 0, 0) - expected) <= 0.501,
                        "width " + outW + " x " + x + ": " + out.sample(x, 0, 0) + " vs " + ref[x]);
            }
            // The vertical pass is the same 1-D filter.
            PixelImage col = new PixelImage(1, w, PixelMode.L, data);
            PixelImage outCol = PillowResize.resize(col, 1, outW, ResampleFilter.BICUBIC);
            for (int y = 0; y < outW; y++) {
                assertEquals(out.sample(y, 0, 0), outCol.sample(0, y, 0), "vertical pass, height " + outW);
            }
        }
    }

    @Test
    void twoAxesWithinOneLevelOfDoubleReference() {
        // The 8-bit intermediate adds at most half a level, the bicubic's overshoot carries it
        // (sum of |weights| <= 1.3), and the final rounding another half: within 1.2 levels.
        PixelImage img = TestImages.make(PixelMode.L, 31, 29);
        int ow = 13;
        int oh = 11;
        PixelImage out = PillowResize.resize(img, ow, oh, ResampleFilter.BICUBIC);
        double[][] rows = new double[29][];
        for (int y = 0; y < 29; y++) {
            int[] r = new int[31];
            for (int x = 0; x < 31; x++) {
                r[x] = img.sample(x, y, 0);
            }
            rows[y] = reference1d(r, ow);
        }
        double max = 0;
        for (int x = 0; x < ow; x++) {
            double[] colIn = new double[29];
            for (int y = 0; y < 29; y++) {
                colIn[y] = rows[y][x];
            }
            double[] col = reference1dDouble(colIn, oh);
            for (int y = 0; y < oh; y++) {
                double expected = Math.max(0, Math.min(255, col[y]));
                max = Math.max(max, Math.abs(out.sample(x, y, 0) - expected));
            }
        }
        assertTrue(max <= 1.2, "max deviation from the double reference " + max);
    }

    private static double[] reference1dDouble(double[] in, int outSize) {
        int n = in.length;
        double scale = (double) n / outSize;
        double fs = Math.max(scale, 1);
        double[] out = new double[outSize];
        for (int i = 0; i < outSize; i++) {
            double centre = (i + 0.5) * scale;
            double sum = 0;
            double wsum = 0;
            for (int j = 0; j < n; j++) {
                double w = keys((j + 0.5 - centre) / fs);
                sum += w * in[j];
                wsum += w;
            }
            out[i] = sum / wsum;
        }
        return out;
    }

    @Test
    void paletteUsesNearestWhateverFilter() {
        PixelImage p = TestImages.make(PixelMode.P, 19, 15);
        PixelImage asRgb = new PixelImage(19, 15, PixelMode.RGB, p.samples());
        PixelImage viaBicubic = PillowResize.resize(p, 7, 11, ResampleFilter.BICUBIC);
        PixelImage nearest = PillowResize.resize(asRgb, 7, 11, ResampleFilter.NEAREST);
        assertEquals(nearest.toRgb(), viaBicubic.toRgb());
    }

    @Test
    void premultipliedResizeIgnoresColourUnderTransparentPixels() {
        // Fully transparent pixels carry no colour into their neighbours, whatever their RGB.
        PixelImage a = TestImages.constant(PixelMode.RGBA, 10, 10, 100, 150, 200, 255);
        byte[] d = a.samples();
        for (int i = 0; i < 50; i++) {
            d[i * 4] = (byte) 255;
            d[i * 4 + 1] = 0;
            d[i * 4 + 2] = 0;
            d[i * 4 + 3] = 0;
        }
        PixelImage out = PillowResize.resize(new PixelImage(10, 10, PixelMode.RGBA, d), 4, 4, ResampleFilter.BICUBIC);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                if (out.sample(x, y, 3) > 64) {
                    // Unpremultiplying a rounded 8-bit value can move a level or two at partial alpha.
                    assertTrue(
                            Math.abs(out.sample(x, y, 0) - 100) <= 2,
                            "red at " + x + "," + y + ": " + out.sample(x, y, 0));
                }
            }
        }
    }
}
