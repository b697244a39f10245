package dev.runa.ood;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.ClipImagePreprocessor;
import dev.runa.image.GaussianBlur;
import dev.runa.image.PixelImage;
import dev.runa.image.PixelMode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Box handling and view construction on synthetic images. */
class BoxViewsTest {
    private static final ClipImagePreprocessor PRE = new ClipImagePreprocessor(16);

    private static PixelImage image(int w, int h) {
        byte[] d = new byte[w * h * 3];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) ((i * 37 + (i / (w * 3)) * 11) % 256);
        }
        return new PixelImage(w, h, PixelMode.RGB, d);
    }

    @Test
    void pixelBoxFloorsCeilsAndClamps() {
        assertEquals(new PixelBox(100, 120, 301, 361), PixelBox.covering(100.4, 120.0, 300.6, 360.2, 640, 480));
        assertEquals(new PixelBox(0, 0, 121, 81), PixelBox.covering(-20, -5, 120.5, 80.5, 257, 199));
        assertEquals(new PixelBox(1000, 300, 1280, 720), PixelBox.covering(1000, 300, 1279.9, 719.5, 1280, 720));
        assertEquals(new PixelBox(0, 0, 10, 10), PixelBox.covering(-1e300, -5, 1e300, 1e9, 10, 10));
        assertEquals(new PixelBox(3, 3, 4, 4), PixelBox.covering(3.2, 3.2, 3.3, 3.3, 10, 10));
    }

    @Test
    void degenerateBoxesNameTheirProblem() {
        assertEquals(
                DegenerateBoxException.Reason.NOT_FINITE,
                assertThrows(DegenerateBoxException.class, () -> PixelBox.covering(Double.NaN, 0, 5, 5, 10, 10))
                        .reason());
        assertEquals(
                DegenerateBoxException.Reason.NOT_FINITE,
                assertThrows(
                                DegenerateBoxException.class,
                                () -> PixelBox.covering(0, 0, Double.POSITIVE_INFINITY, 5, 10, 10))
                        .reason());
        assertEquals(
                DegenerateBoxException.Reason.NO_AREA,
                assertThrows(DegenerateBoxException.class, () -> PixelBox.covering(5, 0, 5, 5, 10, 10))
                        .reason());
        assertEquals(
                DegenerateBoxException.Reason.NO_AREA,
                assertThrows(DegenerateBoxException.class, () -> PixelBox.covering(0, 6, 5, 5, 10, 10))
                        .reason());
        DegenerateBoxException outside =
                assertThrows(DegenerateBoxException.class, () -> PixelBox.covering(11, 2, 20, 5, 10, 10));
        assertEquals(DegenerateBoxException.Reason.OUTSIDE_IMAGE, outside.reason());
        assertTrue(
                outside.getMessage().contains("outside") && outside.getMessage().contains("10x10"),
                outside.getMessage());
        // Touching the border from outside covers no pixel either.
        assertEquals(
                DegenerateBoxException.Reason.OUTSIDE_IMAGE,
                assertThrows(DegenerateBoxException.class, () -> PixelBox.covering(-5, 0, 0, 5, 10, 10))
                        .reason());
        BoxViews views = BoxViews.forImage(image(10, 10), PRE, BoxViewOptions.DEFAULT);
        assertThrows(DegenerateBoxException.class, () -> views.views(3, 3, 2, 8));
    }

    @Test
    void globalViewIsBlurOutsideSharpInside() {
        PixelImage img = image(40, 30);
        BoxViews views = BoxViews.forImage(img, PRE, BoxViewOptions.DEFAULT);
        PixelImage blurred = GaussianBlur.blur(img, 1f);
        PixelImage g = views.globalImage(10.5, 5, 20, 12.1);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                boolean inside = x >= 10 && x < 20 && y >= 5 && y < 13;
                PixelImage expected = inside ? img : blurred;
                for (int c = 0; c < 3; c++) {
                    assertEquals(expected.sample(x, y, c), g.sample(x, y, c), x + "," + y);
                }
            }
        }
        // The shared blurred image is not modified by a box: a second box sees a fresh paste.
        PixelImage g2 = views.globalImage(0, 0, 2, 2);
        assertEquals(blurred.sample(15, 8, 0), g2.sample(15, 8, 0));
    }

    @Test
    void regionalViewIsTheCropPreprocessed() {
        PixelImage img = image(40, 30);
        BoxViews views = BoxViews.forImage(img, PRE, BoxViewOptions.DEFAULT);
        float[] batch = new float[3 + 2 * views.floatsPerView()];
        views.writeRegional(4, 6, 30.2, 20, batch, 3);
        float[] expected = PRE.preprocess(img.crop(4, 6, 31, 20));
        assertArrayEquals(expected, Arrays.copyOfRange(batch, 3, 3 + expected.length));
        assertEquals(0f, batch[0]);
        float[][] both = views.views(4, 6, 30.2, 20);
        assertArrayEquals(expected, both[0]);
    }

    @Test
    void marginPaddingAndFitOptions() {
        PixelImage img = image(40, 30);
        BoxViews margin =
                BoxViews.forImage(img, PRE, new BoxViewOptions(0.5, false, BoxViewOptions.GlobalFit.CENTER_CROP, 1f));
        // 10 x 4 box grown by half its size on each side: 20 x 8.
        assertEquals(new PixelBox(5, 8, 25, 16), margin.regionalBox(10, 10, 20, 14));
        // The global view's sharp region stays the box itself.
        assertEquals(new PixelBox(10, 10, 20, 14), margin.pixelBox(10, 10, 20, 14));

        BoxViews padded = BoxViews.forImage(img, PRE, new BoxViewOptions(0, true, BoxViewOptions.GlobalFit.PAD, 1f));
        PixelImage r = padded.regionalImage(10, 10, 20, 14);
        assertEquals(10, r.width());
        assertEquals(10, r.height());
        assertEquals(123, r.sample(0, 0, 0)); // CLIP mean colour above the crop
        assertEquals(img.sample(10, 10, 0), r.sample(0, 3, 0)); // crop centred: rows 3..6
        float[][] v = padded.views(10, 10, 20, 14);
        assertEquals(PRE.floatsPerImage(), v[1].length);
        // The padded rows of the 40x30 global view (top 5 of 40) normalise to about 0.
        assertEquals(0.0, v[1][0], 0.02);

        BoxViews stretched =
                BoxViews.forImage(img, PRE, new BoxViewOptions(0, false, BoxViewOptions.GlobalFit.STRETCH, 1f));
        float[][] s = stretched.views(10, 10, 20, 14);
        assertEquals(PRE.floatsPerImage(), s[1].length);
        assertThrows(
                IllegalArgumentException.class,
                () -> new BoxViewOptions(-0.1, false, BoxViewOptions.GlobalFit.PAD, 1f));
        assertThrows(
                IllegalArgumentException.class,
                () -> new BoxViewOptions(0, false, BoxViewOptions.GlobalFit.PAD, Float.NaN));
    }

    /**
     * The per-box global view (only the output pixels whose windows meet the box recomputed) against
     * the direct computation (whole image pasted, resized, fitted), byte for byte and then as
     * floats, over random images (odd sizes, portrait, landscape, square, smaller than the input),
     * boxes (1 px, edges, whole image, sub-pixel, partly outside) and every view option.
     */
    @Test
    void incrementalGlobalViewEqualsTheFullComputation() {
        java.util.Random rnd = new java.util.Random(1414);
        int[][] sizes = {{64, 48}, {47, 81}, {33, 33}, {13, 9}, {16, 16}, {101, 17}, {5, 70}, {2, 1}};
        int checked = 0;
        for (int[] size : sizes) {
            int w = size[0];
            int h = size[1];
            PixelImage img = image(w, h);
            for (BoxViewOptions.GlobalFit fit : BoxViewOptions.GlobalFit.values()) {
                for (float radius : new float[] {0f, 1f, 2.5f}) {
                    BoxViewOptions options = new BoxViewOptions(rnd.nextInt(3) * 0.1, rnd.nextBoolean(), fit, radius);
                    BoxViews views = BoxViews.forImage(img, PRE, options);
                    for (int k = 0; k < 12; k++) {
                        double[] b = switch (k) {
                            case 0 -> new double[] {0, 0, w, h};
                            case 1 -> new double[] {w - 1, h - 1, w, h};
                            case 2 -> new double[] {0, 0, 1, 1};
                            case 3 -> new double[] {-5, h / 2.0, w + 5, h / 2.0 + 0.5};
                            default -> {
                                double x1 = rnd.nextDouble() * w;
                                double y1 = rnd.nextDouble() * h;
                                yield new double[] {
                                    x1,
                                    y1,
                                    x1 + 0.01 + rnd.nextDouble() * (w - x1),
                                    y1 + 0.01 + rnd.nextDouble() * (h - y1)
                                };
                            }
                        };
                        String what = w + "x" + h + " " + options.describe() + " box " + Arrays.toString(b);
                        assertEquals(
                                views.fullGlobalView(b[0], b[1], b[2], b[3]),
                                views.globalView(b[0], b[1], b[2], b[3]),
                                what);
                        float[] expected = new float[PRE.floatsPerImage()];
                        PRE.writeNormalized(views.fullGlobalView(b[0], b[1], b[2], b[3]), expected, 0);
                        assertArrayEquals(expected, views.views(b[0], b[1], b[2], b[3])[1], what);
                        checked++;
                    }
                }
            }
        }
        assertEquals(8 * 3 * 3 * 12, checked);
    }
}
