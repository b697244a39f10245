package dev.runa.image;

/**
 * {@code PillowResize.resizeAndCrop(base.pasteRegion(sharp, box), ...)} for many boxes over the same
 * base, byte for byte, in time proportional to the box instead of the image.
 *
 * <p>Why it is exact: Pillow's convolution is separable (horizontal pass into 8-bit rows, then the
 * vertical pass), and each output sample depends only on the input samples inside its window (see
 * {@link PillowResize}). Pasting changes the input only inside the box, so
 * <ul>
 *   <li>an intermediate (horizontal-pass) sample changes only on the box's rows, and only in the
 *       columns whose horizontal window meets the box's columns;</li>
 *   <li>an output sample changes only if its column is such a column and its vertical window meets
 *       the box's rows.</li>
 * </ul>
 * Everything else equals the resize of the base, computed once at construction together with its
 * intermediate rows. Per box only that rectangle is recomputed, with the same fixed-point
 * arithmetic and the same 8-bit rounding and clipping between the passes. A pass Pillow skips (size
 * unchanged) is the identity, which the same code runs as one tap of weight 1.0 (exactly the input
 * byte after rounding).
 *
 * <p>Images with alpha, palette/bilevel images and {@link ResampleFilter#NEAREST} are not
 * convolved separably here; for them every box falls back to the full computation. Instances are
 * immutable and thread-safe.
 */
public final class PastedResize {
    private final PixelImage base;
    private final PixelImage sharp;
    private final int width;
    private final int height;
    private final ResampleFilter filter;
    private final int left;
    private final int top;
    private final int right;
    private final int bottom;
    private final boolean separable;
    // Separable case only.
    private final PillowResize.Coefficients horiz;
    private final PillowResize.Coefficients vert;
    // Input rows [firstRow, lastRow) feed the crop window's vertical pass.
    private final int firstRow;
    private final int lastRow;
    // Horizontal pass of the base: rows [firstRow, lastRow) x crop columns [left, right).
    private final byte[] baseRows;
    private final PixelImage baseResult;

    /**
     * Prepares the boxes' resizes over {@code base}: the crop window [left, right) x [top, bottom)
     * of the {@code width x height} resize.
     *
     * @param base  the image outside the box (e.g. the blurred image)
     * @param sharp the image whose box region is pasted over {@code base}; same size and mode
     * @throws IllegalArgumentException if the images differ in size or mode, the target is empty or
     *                                  the window is not inside it
     */
    public PastedResize(
            PixelImage base,
            PixelImage sharp,
            int width,
            int height,
            ResampleFilter filter,
            int left,
            int top,
            int right,
            int bottom) {
        if (base.width() != sharp.width() || base.height() != sharp.height() || base.mode() != sharp.mode()) {
            throw new IllegalArgumentException("paste source is " + sharp + ", base " + base);
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("resize target " + width + "x" + height + " is empty");
        }
        if (left < 0 || top < 0 || right > width || bottom > height || left >= right || top >= bottom) {
            throw new IllegalArgumentException("crop window (" + left + ", " + top + ", " + right + ", " + bottom
                    + ") is empty or outside the " + width + "x" + height + " resize");
        }
        this.base = base;
        this.sharp = sharp;
        this.width = width;
        this.height = height;
        this.filter = filter;
        this.left = left;
        this.top = top;
        this.right = right;
        this.bottom = bottom;
        this.separable = filter != ResampleFilter.NEAREST
                && !base.mode().hasAlpha()
                && !base.mode().nearestOnly();
        if (!separable) {
            horiz = null;
            vert = null;
            firstRow = 0;
            lastRow = 0;
            baseRows = null;
            baseResult = PillowResize.resizeAndCrop(base, width, height, filter, left, top, right, bottom);
            return;
        }
        horiz = width == base.width() ? identity(width) : PillowResize.coefficients(base.width(), width, filter);
        vert = height == base.height() ? identity(height) : PillowResize.coefficients(base.height(), height, filter);
        firstRow = vert.start()[top];
        lastRow = vert.start()[bottom - 1] + vert.length()[bottom - 1];
        int b = base.bands();
        int outW = right - left;
        baseRows = new byte[(lastRow - firstRow) * outW * b];
        byte[] src = base.raw();
        int[] acc = new int[b];
        for (int r = firstRow; r < lastRow; r++) {
            horizontalRow(src, r * base.width() * b, left, right, b, acc, baseRows, (r - firstRow) * outW * b);
        }
        byte[] out = new byte[outW * (bottom - top) * b];
        verticalRect(null, 0, 0, left, right, top, bottom, out);
        baseResult = new PixelImage(outW, bottom - top, base.mode(), out, true);
    }

    /** The crop of the base's resize (no box pasted). */
    public PixelImage base() {
        return baseResult;
    }

    /**
     * The crop window of the resize of {@code base} with the region [boxLeft, boxRight) x
     * [boxTop, boxBottom) of {@code sharp} pasted over it.
     *
     * @throws IllegalArgumentException if the box is empty or not inside the images
     */
    public PixelImage withPaste(int boxLeft, int boxTop, int boxRight, int boxBottom) {
        if (boxLeft < 0
                || boxTop < 0
                || boxRight > base.width()
                || boxBottom > base.height()
                || boxLeft >= boxRight
                || boxTop >= boxBottom) {
            throw new IllegalArgumentException("paste box (" + boxLeft + ", " + boxTop + ", " + boxRight + ", "
                    + boxBottom + ") is empty or outside the " + base.width() + "x" + base.height() + " image");
        }
        if (!separable) {
            return PillowResize.resizeAndCrop(
                    base.pasteRegion(sharp, boxLeft, boxTop, boxRight, boxBottom),
                    width,
                    height,
                    filter,
                    left,
                    top,
                    right,
                    bottom);
        }
        // Output columns (in [left, right)) and rows (in [top, bottom)) whose windows meet the box.
        // Windows move monotonically with the output index, so both sets are ranges.
        int x0 = firstTouching(horiz, left, right, boxLeft, boxRight);
        int x1 = lastTouching(horiz, left, right, boxLeft, boxRight);
        int y0 = firstTouching(vert, top, bottom, boxTop, boxBottom);
        int y1 = lastTouching(vert, top, bottom, boxTop, boxBottom);
        if (x0 >= x1 || y0 >= y1) {
            return baseResult;
        }
        int b = base.bands();
        // Horizontal pass of the pasted rows that the vertical pass reads, affected columns only.
        int r0 = Math.max(boxTop, firstRow);
        int r1 = Math.min(boxBottom, lastRow);
        int cols = x1 - x0;
        byte[] pastedRows = new byte[Math.max(0, r1 - r0) * cols * b];
        if (r1 > r0) {
            int inFrom = horiz.start()[x0];
            int inTo = horiz.start()[x1 - 1] + horiz.length()[x1 - 1];
            int spanLen = (inTo - inFrom) * b;
            byte[] line = new byte[spanLen];
            byte[] baseSrc = base.raw();
            byte[] sharpSrc = sharp.raw();
            int rowLen = base.width() * b;
            int pasteFrom = Math.max(boxLeft, inFrom);
            int pasteTo = Math.min(boxRight, inTo);
            int[] acc = new int[b];
            for (int r = r0; r < r1; r++) {
                System.arraycopy(baseSrc, r * rowLen + inFrom * b, line, 0, spanLen);
                if (pasteTo > pasteFrom) {
                    System.arraycopy(
                            sharpSrc,
                            r * rowLen + pasteFrom * b,
                            line,
                            (pasteFrom - inFrom) * b,
                            (pasteTo - pasteFrom) * b);
                }
                horizontalRow(line, -inFrom * b, x0, x1, b, acc, pastedRows, (r - r0) * cols * b);
            }
        }
        byte[] out = baseResult.raw().clone();
        verticalRect(pastedRows, r0, r1, x0, x1, y0, y1, out);
        return new PixelImage(right - left, bottom - top, base.mode(), out, true);
    }

    /**
     * Horizontal pass of one input row for output columns [x0, x1): input sample (x, c) is
     * {@code src[rowOffset + x * b + c]}; writes (x1 - x0) * b bytes at {@code dst[dstOffset]}.
     * Same arithmetic as {@link PillowResize}'s horizontal pass.
     */
    private void horizontalRow(byte[] src, int rowOffset, int x0, int x1, int b, int[] acc, byte[] dst, int dstOffset) {
        if (b == 3) {
            PillowResize.rgbRow(src, rowOffset, horiz, x0, x1, dst, dstOffset - x0 * 3);
            return;
        }
        int[] weights = horiz.weights();
        int stride = horiz.stride();
        for (int x = x0; x < x1; x++) {
            int k0 = x * stride;
            int xmin = horiz.start()[x];
            int n = horiz.length()[x];
            for (int c = 0; c < b; c++) {
                acc[c] = 1 << (PillowResize.PRECISION_BITS - 1);
            }
            for (int t = 0; t < n; t++) {
                int k = weights[k0 + t];
                int p = rowOffset + (xmin + t) * b;
                for (int c = 0; c < b; c++) {
                    acc[c] += (src[p + c] & 0xFF) * k;
                }
            }
            int o = dstOffset + (x - x0) * b;
            for (int c = 0; c < b; c++) {
                dst[o + c] = clip8(acc[c]);
            }
        }
    }

    /**
     * Vertical pass for output rows [y0, y1) and columns [x0, x1) into {@code out} (the crop
     * window). Intermediate rows [r0, r1) come from {@code pasted} (columns [x0, x1)), all other
     * rows from the base's intermediate rows.
     */
    private void verticalRect(byte[] pasted, int r0, int r1, int x0, int x1, int y0, int y1, byte[] out) {
        int b = base.bands();
        int baseStride = (right - left) * b;
        int pastedStride = (x1 - x0) * b;
        int len = (x1 - x0) * b;
        int baseCol = (x0 - left) * b;
        int[] acc = new int[len];
        int[] weights = vert.weights();
        for (int y = y0; y < y1; y++) {
            int k0 = y * vert.stride();
            int ymin = vert.start()[y];
            int n = vert.length()[y];
            java.util.Arrays.fill(acc, 1 << (PillowResize.PRECISION_BITS - 1));
            for (int t = 0; t < n; t++) {
                int k = weights[k0 + t];
                int row = ymin + t;
                byte[] src;
                int p;
                if (row >= r0 && row < r1) {
                    src = pasted;
                    p = (row - r0) * pastedStride;
                } else {
                    src = baseRows;
                    p = (row - firstRow) * baseStride + baseCol;
                }
                for (int i = 0; i < len; i++) {
                    acc[i] += (src[p + i] & 0xFF) * k;
                }
            }
            int o = (y - top) * baseStride + baseCol;
            for (int i = 0; i < len; i++) {
                out[o + i] = clip8(acc[i]);
            }
        }
    }

    // First output index in [from, to) whose window meets [lo, hi); to if none.
    private static int firstTouching(PillowResize.Coefficients c, int from, int to, int lo, int hi) {
        for (int i = from; i < to; i++) {
            if (c.start()[i] < hi && c.start()[i] + c.length()[i] > lo) {
                return i;
            }
        }
        return to;
    }

    // One past the last output index in [from, to) whose window meets [lo, hi); from if none.
    private static int lastTouching(PillowResize.Coefficients c, int from, int to, int lo, int hi) {
        for (int i = to - 1; i >= from; i--) {
            if (c.start()[i] < hi && c.start()[i] + c.length()[i] > lo) {
                return i + 1;
            }
        }
        return from;
    }

    // A pass Pillow skips: one tap of weight 1.0, which rounds back to the input byte exactly.
    private static PillowResize.Coefficients identity(int size) {
        int[] start = new int[size];
        int[] length = new int[size];
        int[] weights = new int[size];
        for (int i = 0; i < size; i++) {
            start[i] = i;
            length[i] = 1;
            weights[i] = 1 << PillowResize.PRECISION_BITS;
        }
        return new PillowResize.Coefficients(start, length, weights, 1);
    }

    private static byte clip8(int acc) {
        int v = acc >> PillowResize.PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
