package dev.runa.image;

import java.util.Arrays;

/**
 * {@code Image.resize(size, filter)} of Pillow 9.4, byte for byte, for 8-bit images.
 *
 * <p>Behaviour reproduced from Pillow's {@code Image.resize} and {@code libImaging/Resample.c}:
 * <ul>
 *   <li>Same size: the image is returned unchanged.</li>
 *   <li>Modes "P" and "1" are always resized with nearest neighbour, whatever filter is asked.</li>
 *   <li>Modes with alpha (RGBA, LA) are premultiplied ("RGBa"/"La") before a convolution filter
 *       and un-premultiplied after, with Pillow's integer rounding.</li>
 *   <li>Convolution: per axis scale = in/out, filterscale = max(scale, 1) (the widening is the
 *       antialiasing when shrinking), support = filter support * filterscale; output pixel i has
 *       centre (i + 0.5) * scale and reads inputs {@code (int)(centre - support + 0.5)} to
 *       {@code (int)(centre + support + 0.5)} (clamped) with weights K((x - centre + 0.5) / filterscale)
 *       normalised to sum 1, then rounded to fixed point with 22 fractional bits. Accumulation starts
 *       at 2^21 (round half up) and the result is clamped to 0..255.</li>
 *   <li>Horizontal pass first into an 8-bit image holding only the rows the vertical pass needs;
 *       a pass whose size does not change is skipped.</li>
 * </ul>
 */
public final class PillowResize {
    // Pillow's PRECISION_BITS: 32 - 8 bits of result - 2 bits of headroom for negative lobes.
    static final int PRECISION_BITS = 22;

    private PillowResize() {}

    /**
     * Resizes {@code image} to {@code width x height} as Pillow 9.4's {@code Image.resize} does.
     *
     * @throws IllegalArgumentException if a target dimension is below 1
     */
    public static PixelImage resize(PixelImage image, int width, int height, ResampleFilter filter) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("resize target " + width + "x" + height + " is empty");
        }
        if (width == image.width() && height == image.height()) {
            return image;
        }
        if (filter == ResampleFilter.NEAREST || image.mode().nearestOnly()) {
            return nearest(image, width, height);
        }
        if (image.mode().hasAlpha()) {
            return unpremultiply(convolve(premultiply(image), width, height, filter));
        }
        return convolve(image, width, height, filter);
    }

    /**
     * {@code resize(image, width, height, filter).crop(left, top, right, bottom)} computed without
     * the pixels outside the crop; byte-identical to resizing then cropping.
     *
     * @throws IllegalArgumentException if the target is empty or the window is not inside it
     */
    public static PixelImage resizeAndCrop(
            PixelImage image, int width, int height, ResampleFilter filter, int left, int top, int right, int bottom) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("resize target " + width + "x" + height + " is empty");
        }
        if (left < 0 || top < 0 || right > width || bottom > height || left >= right || top >= bottom) {
            throw new IllegalArgumentException("crop window (" + left + ", " + top + ", " + right + ", " + bottom
                    + ") is empty or outside the " + width + "x" + height + " resize");
        }
        if (width == image.width() && height == image.height()) {
            return image.crop(left, top, right, bottom);
        }
        if (filter == ResampleFilter.NEAREST || image.mode().nearestOnly()) {
            return nearest(image, width, height).crop(left, top, right, bottom);
        }
        if (image.mode().hasAlpha()) {
            return unpremultiply(convolve(premultiply(image), width, height, filter, left, top, right, bottom));
        }
        return convolve(image, width, height, filter, left, top, right, bottom);
    }

    /** Nearest neighbour as Pillow's {@code ImagingScaleAffine}: source coordinates accumulated in double. */
    static PixelImage nearest(PixelImage image, int width, int height) {
        int b = image.bands();
        int inW = image.width();
        int inH = image.height();
        double ax = (double) inW / width;
        double ay = (double) inH / height;
        int[] xin = new int[width];
        double xo = ax * 0.5;
        for (int x = 0; x < width; x++) {
            xin[x] = Math.min((int) xo, inW - 1);
            xo += ax;
        }
        byte[] src = image.raw();
        byte[] out = new byte[PixelImage.sampleCount(width, height, b)];
        double yo = ay * 0.5;
        for (int y = 0; y < height; y++) {
            int yi = Math.min((int) yo, inH - 1);
            for (int x = 0; x < width; x++) {
                System.arraycopy(src, (yi * inW + xin[x]) * b, out, (y * width + x) * b, b);
            }
            yo += ay;
        }
        return new PixelImage(width, height, image.mode(), out, true);
    }

    /** Fixed-point coefficients for one axis: input window start, length and weights per output pixel. */
    record Coefficients(int[] start, int[] length, int[] weights, int stride) {}

    /** Pillow's {@code precompute_coeffs} followed by {@code normalize_coeffs_8bpc}. */
    static Coefficients coefficients(int inSize, int outSize, ResampleFilter filter) {
        double scale = (double) inSize / outSize;
        double filterscale = Math.max(scale, 1.0);
        double support = filter.support() * filterscale;
        int stride = (int) Math.ceil(support) * 2 + 1;
        int[] start = new int[outSize];
        int[] length = new int[outSize];
        int[] fixed = new int[outSize * stride];
        double ss = 1.0 / filterscale;
        double[] w = new double[stride];
        for (int i = 0; i < outSize; i++) {
            double center = (i + 0.5) * scale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double sum = 0.0;
            for (int x = 0; x < xmax; x++) {
                w[x] = filter.weight((x + xmin - center + 0.5) * ss);
                sum += w[x];
            }
            for (int x = 0; x < xmax; x++) {
                double k = sum != 0.0 ? w[x] / sum : w[x];
                // Round half away from zero, then truncate, as normalize_coeffs_8bpc.
                fixed[i * stride + x] =
                        k < 0 ? (int) (-0.5 + k * (1 << PRECISION_BITS)) : (int) (0.5 + k * (1 << PRECISION_BITS));
            }
            start[i] = xmin;
            length[i] = Math.max(xmax, 0);
        }
        return new Coefficients(start, length, fixed, stride);
    }

    static PixelImage convolve(PixelImage image, int width, int height, ResampleFilter filter) {
        return convolve(image, width, height, filter, 0, 0, width, height);
    }

    /**
     * The window [left, right) x [top, bottom) of the {@code width x height} resize. Every output
     * pixel is computed exactly as in the full resize (its value depends only on its own
     * coefficients), so this equals resize-then-crop while skipping the work outside the window.
     */
    static PixelImage convolve(
            PixelImage image, int width, int height, ResampleFilter filter, int left, int top, int right, int bottom) {
        int b = image.bands();
        int outW = right - left;
        int outH = bottom - top;
        boolean needVertical = height != image.height();
        byte[] src = image.raw();
        int srcW = image.width();
        int colOffset = 0;
        int rowOffset = 0;
        Coefficients vert = needVertical ? coefficients(image.height(), height, filter) : null;
        // Only the rows the vertical pass reads go through the horizontal pass.
        int firstRow = needVertical ? vert.start()[top] : top;
        int lastRow = needVertical ? vert.start()[bottom - 1] + vert.length()[bottom - 1] : bottom;
        if (width != image.width()) {
            Coefficients horiz = coefficients(image.width(), width, filter);
            int rows = lastRow - firstRow;
            byte[] tmp = new byte[outW * rows * b];
            int[] acc = new int[b];
            for (int y = 0; y < rows; y++) {
                int inRow = (y + firstRow) * srcW * b;
                int outRow = y * outW * b;
                if (b == 3) {
                    rgbRow(src, inRow, horiz, left, right, tmp, outRow - left * 3);
                    continue;
                }
                for (int x = left; x < right; x++) {
                    int k0 = x * horiz.stride();
                    int xmin = horiz.start()[x];
                    int n = horiz.length()[x];
                    Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
                    for (int t = 0; t < n; t++) {
                        int k = horiz.weights()[k0 + t];
                        int p = inRow + (xmin + t) * b;
                        for (int c = 0; c < b; c++) {
                            acc[c] += (src[p + c] & 0xFF) * k;
                        }
                    }
                    for (int c = 0; c < b; c++) {
                        tmp[outRow + (x - left) * b + c] = clip8Fixed(acc[c]);
                    }
                }
            }
            src = tmp;
            srcW = outW;
            rowOffset = firstRow;
        } else {
            colOffset = left;
        }
        if (!needVertical) {
            return new PixelImage(
                    outW, outH, image.mode(), copyWindow(src, srcW, b, colOffset, top - rowOffset, outW, outH), true);
        }
        byte[] out = new byte[PixelImage.sampleCount(outW, outH, b)];
        int rowLen = outW * b;
        int[] acc = new int[rowLen];
        for (int y = top; y < bottom; y++) {
            int k0 = y * vert.stride();
            int ymin = vert.start()[y] - rowOffset;
            int n = vert.length()[y];
            Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
            for (int t = 0; t < n; t++) {
                int k = vert.weights()[k0 + t];
                int p = ((ymin + t) * srcW + colOffset) * b;
                for (int i = 0; i < rowLen; i++) {
                    acc[i] += (src[p + i] & 0xFF) * k;
                }
            }
            int o = (y - top) * rowLen;
            for (int i = 0; i < rowLen; i++) {
                out[o + i] = clip8Fixed(acc[i]);
            }
        }
        return new PixelImage(outW, outH, image.mode(), out, true);
    }

    /**
     * The horizontal pass of one RGB row for output columns [x0, x1), writing column x at
     * {@code dst[dstBase + x * 3]}: the general loop with the three bands' accumulators in locals
     * (the common case, about twice as fast; same integer sums).
     */
    static void rgbRow(byte[] src, int rowOffset, Coefficients horiz, int x0, int x1, byte[] dst, int dstBase) {
        int[] weights = horiz.weights();
        int[] starts = horiz.start();
        int[] lengths = horiz.length();
        int stride = horiz.stride();
        final int half = 1 << (PRECISION_BITS - 1);
        for (int x = x0; x < x1; x++) {
            int k0 = x * stride;
            int n = lengths[x];
            int p = rowOffset + starts[x] * 3;
            int r = half;
            int g = half;
            int bl = half;
            for (int t = 0; t < n; t++, p += 3) {
                int k = weights[k0 + t];
                r += (src[p] & 0xFF) * k;
                g += (src[p + 1] & 0xFF) * k;
                bl += (src[p + 2] & 0xFF) * k;
            }
            int o = dstBase + x * 3;
            dst[o] = clip8Fixed(r);
            dst[o + 1] = clip8Fixed(g);
            dst[o + 2] = clip8Fixed(bl);
        }
    }

    private static byte[] copyWindow(byte[] src, int srcW, int b, int x0, int y0, int w, int h) {
        if (x0 == 0 && y0 == 0 && w == srcW && src.length == w * h * b) {
            return src;
        }
        byte[] out = new byte[PixelImage.sampleCount(w, h, b)];
        for (int y = 0; y < h; y++) {
            System.arraycopy(src, ((y0 + y) * srcW + x0) * b, out, y * w * b, w * b);
        }
        return out;
    }

    private static byte clip8Fixed(int acc) {
        int v = acc >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Pillow's RGBA -> RGBa (and LA -> La): colour times alpha / 255, rounded with MULDIV255. */
    static PixelImage premultiply(PixelImage image) {
        int b = image.bands();
        byte[] src = image.raw();
        byte[] out = new byte[src.length];
        for (int p = 0; p < src.length; p += b) {
            int alpha = src[p + b - 1] & 0xFF;
            for (int c = 0; c < b - 1; c++) {
                out[p + c] = (byte) PixelImage.mulDiv255(src[p + c] & 0xFF, alpha);
            }
            out[p + b - 1] = (byte) alpha;
        }
        return new PixelImage(image.width(), image.height(), image.mode(), out, true);
    }

    /** Pillow's RGBa -> RGBA: colour * 255 / alpha truncated and clamped; alpha 0 or 255 untouched. */
    static PixelImage unpremultiply(PixelImage image) {
        int b = image.bands();
        byte[] src = image.raw();
        byte[] out = new byte[src.length];
        for (int p = 0; p < src.length; p += b) {
            int alpha = src[p + b - 1] & 0xFF;
            for (int c = 0; c < b - 1; c++) {
                int v = src[p + c] & 0xFF;
                out[p + c] = (byte) (alpha == 0 || alpha == 255 ? v : Math.min(255 * v / alpha, 255));
            }
            out[p + b - 1] = (byte) alpha;
        }
        return new PixelImage(image.width(), image.height(), image.mode(), out, true);
    }
}
