package dev.runa.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The incremental resize of a pasted box against the direct computation (paste the box into the
 * whole base, resize, crop), byte for byte: any difference in window bounds, intermediate rounding
 * or clipping would show as a differing byte, so the comparison is exact (no tolerance).
 */
class PastedResizeTest {

    private static PixelImage noise(Random rnd, PixelMode mode, int w, int h) {
        byte[] d = new byte[w * h * mode.bands()];
        // Mix of smooth ramps and hard noise, so clipping of the bicubic overshoot happens.
        int kind = rnd.nextInt(3);
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte)
                    switch (kind) {
                        case 0 -> rnd.nextInt(256);
                        case 1 -> (i % 7 == 0 ? 255 : 0);
                        default -> (i * 13 + rnd.nextInt(4)) & 0xFF;
                    };
        }
        return new PixelImage(w, h, mode, d);
    }

    private static PixelImage direct(
            PixelImage base, PixelImage sharp, int w, int h, ResampleFilter f, int[] crop, int[] box) {
        return PillowResize.resizeAndCrop(
                base.pasteRegion(sharp, box[0], box[1], box[2], box[3]), w, h, f, crop[0], crop[1], crop[2], crop[3]);
    }

    // Boxes that stress the window bookkeeping: 1 px, edges, corners, whole image, random.
    private static int[] box(Random rnd, int w, int h, int kind) {
        return switch (kind) {
            case 0 -> {
                int x = rnd.nextInt(w);
                int y = rnd.nextInt(h);
                yield new int[] {x, y, x + 1, y + 1};
            }
            case 1 -> new int[] {0, 0, w, h};
            case 2 -> new int[] {0, rnd.nextInt(h), 1 + rnd.nextInt(w), h};
            case 3 -> new int[] {w - 1 - rnd.nextInt(Math.min(w, 3)), 0, w, 1 + rnd.nextInt(h)};
            default -> {
                int x0 = rnd.nextInt(w);
                int y0 = rnd.nextInt(h);
                yield new int[] {x0, y0, x0 + 1 + rnd.nextInt(w - x0), y0 + 1 + rnd.nextInt(h - y0)};
            }
        };
    }

    @Test
    void equalsPasteThenResizeOnRandomImagesSizesWindowsAndBoxes() {
        Random rnd = new Random(14);
        ResampleFilter[] filters = {ResampleFilter.BICUBIC, ResampleFilter.BILINEAR, ResampleFilter.LANCZOS};
        int checked = 0;
        for (int trial = 0; trial < 300; trial++) {
            PixelMode mode =
                    new PixelMode[] {PixelMode.L, PixelMode.RGB, PixelMode.RGB, PixelMode.CMYK}[rnd.nextInt(4)];
            int w = 1 + rnd.nextInt(trial % 10 == 0 ? 3 : 90);
            int h = 1 + rnd.nextInt(trial % 10 == 1 ? 3 : 90);
            PixelImage base = noise(rnd, mode, w, h);
            PixelImage sharp = noise(rnd, mode, w, h);
            // Shrink, enlarge, or keep either axis (a pass Pillow skips).
            int tw = switch (rnd.nextInt(3)) {
                case 0 -> w;
                case 1 -> 1 + rnd.nextInt(w);
                default -> 1 + rnd.nextInt(2 * w + 5);
            };
            int th = switch (rnd.nextInt(3)) {
                case 0 -> h;
                case 1 -> 1 + rnd.nextInt(h);
                default -> 1 + rnd.nextInt(2 * h + 5);
            };
            int cl = rnd.nextInt(tw);
            int ct = rnd.nextInt(th);
            int[] crop = rnd.nextBoolean()
                    ? new int[] {0, 0, tw, th}
                    : new int[] {cl, ct, cl + 1 + rnd.nextInt(tw - cl), ct + 1 + rnd.nextInt(th - ct)};
            ResampleFilter f = filters[rnd.nextInt(filters.length)];
            PastedResize pr = new PastedResize(base, sharp, tw, th, f, crop[0], crop[1], crop[2], crop[3]);
            assertEquals(
                    PillowResize.resizeAndCrop(base, tw, th, f, crop[0], crop[1], crop[2], crop[3]), pr.base(), "base");
            for (int k = 0; k < 6; k++) {
                int[] b = box(rnd, w, h, k == 5 ? 4 + rnd.nextInt(3) : k);
                PixelImage expected = direct(base, sharp, tw, th, f, crop, b);
                assertEquals(
                        expected,
                        pr.withPaste(b[0], b[1], b[2], b[3]),
                        () -> mode + " " + w + "x" + h + " -> " + tw + "x" + th + " " + f + " crop "
                                + java.util.Arrays.toString(crop) + " box " + java.util.Arrays.toString(b));
                checked++;
            }
        }
        assertEquals(1800, checked);
    }

    @Test
    void clipSizedGlobalViewsOfAPhotoSizedImage() {
        // The production shape: 640x480 -> 298x224 bicubic, centre crop 224, blurred base.
        Random rnd = new Random(3);
        PixelImage sharp = noise(rnd, PixelMode.RGB, 641, 479);
        PixelImage base = GaussianBlur.blur(sharp, 1f);
        ClipGeometry.Size s = ClipGeometry.resizedSize(641, 479, 224);
        int l = ClipGeometry.centerCropOffset(s.width(), 224);
        int t = ClipGeometry.centerCropOffset(s.height(), 224);
        int[] crop = {l, t, l + 224, t + 224};
        PastedResize pr =
                new PastedResize(base, sharp, s.width(), s.height(), ResampleFilter.BICUBIC, l, t, l + 224, t + 224);
        for (int k = 0; k < 40; k++) {
            int[] b = box(rnd, 641, 479, k % 7);
            assertEquals(
                    direct(base, sharp, s.width(), s.height(), ResampleFilter.BICUBIC, crop, b),
                    pr.withPaste(b[0], b[1], b[2], b[3]));
        }
    }

    @Test
    void boxOutsideTheCroppedWindowsInfluenceGivesTheBase() {
        Random rnd = new Random(5);
        PixelImage sharp = noise(rnd, PixelMode.RGB, 400, 100);
        PixelImage base = noise(rnd, PixelMode.RGB, 400, 100);
        // 400x100 -> 896x224, centre crop 224: columns far left never reach the window.
        PastedResize pr = new PastedResize(base, sharp, 896, 224, ResampleFilter.BICUBIC, 336, 0, 560, 224);
        assertSame(pr.base(), pr.withPaste(0, 0, 10, 100));
        assertEquals(
                direct(base, sharp, 896, 224, ResampleFilter.BICUBIC, new int[] {336, 0, 560, 224}, new int[] {
                    0, 0, 10, 100
                }),
                pr.base());
    }

    @Test
    void alphaPaletteAndNearestFallBackToTheFullComputation() {
        Random rnd = new Random(7);
        for (PixelMode mode : new PixelMode[] {PixelMode.RGBA, PixelMode.LA}) {
            PixelImage base = TestImages.make(mode, 37, 23);
            PixelImage sharp = noise(rnd, mode, 37, 23);
            PastedResize pr = new PastedResize(base, sharp, 20, 30, ResampleFilter.BICUBIC, 2, 3, 19, 29);
            assertEquals(
                    direct(base, sharp, 20, 30, ResampleFilter.BICUBIC, new int[] {2, 3, 19, 29}, new int[] {5, 6, 9, 20
                    }),
                    pr.withPaste(5, 6, 9, 20));
        }
        PixelImage base = noise(rnd, PixelMode.RGB, 37, 23);
        PixelImage sharp = noise(rnd, PixelMode.RGB, 37, 23);
        PastedResize pr = new PastedResize(base, sharp, 50, 10, ResampleFilter.NEAREST, 0, 0, 50, 10);
        assertEquals(
                direct(base, sharp, 50, 10, ResampleFilter.NEAREST, new int[] {0, 0, 50, 10}, new int[] {1, 1, 30, 4}),
                pr.withPaste(1, 1, 30, 4));
    }

    @Test
    void refusesBoxesOutsideTheImageAndMismatchedImages() {
        PixelImage a = TestImages.make(PixelMode.RGB, 10, 10);
        PastedResize pr = new PastedResize(a, a, 5, 5, ResampleFilter.BICUBIC, 0, 0, 5, 5);
        assertThrows(IllegalArgumentException.class, () -> pr.withPaste(0, 0, 11, 5));
        assertThrows(IllegalArgumentException.class, () -> pr.withPaste(3, 3, 3, 5));
        assertThrows(
                IllegalArgumentException.class,
                () -> new PastedResize(
                        a, TestImages.make(PixelMode.RGB, 10, 11), 5, 5, ResampleFilter.BICUBIC, 0, 0, 5, 5));
        assertThrows(
                IllegalArgumentException.class, () -> new PastedResize(a, a, 5, 5, ResampleFilter.BICUBIC, 0, 0, 6, 5));
    }
}
