package dev.runa.image;

import java.util.Arrays;

/**
 * An immutable 8-bit image: {@code width * height * mode.bands()} samples, row-major, bands
 * interleaved, each sample an unsigned byte.
 *
 * <p>The constructor copies the samples it is given and {@link #samples()} returns a copy, so an
 * instance can be shared freely between threads and boxes.
 */
public final class PixelImage {
    private final int width;
    private final int height;
    private final PixelMode mode;
    private final byte[] data;

    /**
     * @param width   pixels per row, at least 1
     * @param height  rows, at least 1
     * @param mode    Pillow mode, which fixes the number of bands
     * @param samples exactly {@code width * height * mode.bands()} bytes (copied)
     */
    public PixelImage(int width, int height, PixelMode mode, byte[] samples) {
        this(width, height, mode, checkedCopy(width, height, mode, samples), true);
    }

    // Adopts the array without copying: for operations in this package that made it themselves.
    PixelImage(int width, int height, PixelMode mode, byte[] samples, boolean owned) {
        checkSize(width, height, mode, samples);
        this.width = width;
        this.height = height;
        this.mode = mode;
        this.data = samples;
    }

    private static byte[] checkedCopy(int width, int height, PixelMode mode, byte[] samples) {
        if (samples == null) {
            throw new IllegalArgumentException("image samples are null");
        }
        checkSize(width, height, mode, samples);
        return samples.clone();
    }

    private static void checkSize(int width, int height, PixelMode mode, byte[] samples) {
        if (mode == null) {
            throw new IllegalArgumentException("image mode is null");
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size " + width + "x" + height + " is empty");
        }
        long expected = (long) width * height * mode.bands();
        if (samples.length != expected) {
            throw new IllegalArgumentException("image " + width + "x" + height + " " + mode + ": " + samples.length
                    + " samples, expected " + expected);
        }
    }

    /** Pixels per row. */
    public int width() {
        return width;
    }

    /** Number of rows. */
    public int height() {
        return height;
    }

    /** The Pillow mode. */
    public PixelMode mode() {
        return mode;
    }

    /** Samples per pixel. */
    public int bands() {
        return mode.bands();
    }

    /** One sample, 0..255. */
    public int sample(int x, int y, int band) {
        if (x < 0 || x >= width || y < 0 || y >= height || band < 0 || band >= mode.bands()) {
            throw new IndexOutOfBoundsException(
                    "sample (" + x + ", " + y + ", band " + band + ") outside " + width + "x" + height + " " + mode);
        }
        return data[(y * width + x) * mode.bands() + band] & 0xFF;
    }

    /** A copy of all samples. */
    public byte[] samples() {
        return data.clone();
    }

    // The backing array, for read-only use by operations in this package.
    byte[] raw() {
        return data;
    }

    /** Sum of all samples, a cheap checksum for tests and logs. */
    public long sampleSum() {
        long s = 0;
        for (byte b : data) {
            s += b & 0xFF;
        }
        return s;
    }

    /**
     * Pillow's {@code convert("RGB")}: L and 1 replicate the grey level, alpha is dropped
     * (not composited), a palette image is already expanded, CMYK uses Pillow's naive formula
     * {@code R = 255 - K - C*(255-K)/255} (rounded as Pillow), no colour management.
     */
    public PixelImage toRgb() {
        if (mode == PixelMode.RGB) {
            return this;
        }
        int n = sampleCount(width, height, 1);
        int b = mode.bands();
        byte[] out = new byte[sampleCount(width, height, 3)];
        for (int i = 0; i < n; i++) {
            int s = i * b;
            int o = i * 3;
            switch (mode) {
                case L, BILEVEL, LA -> {
                    out[o] = data[s];
                    out[o + 1] = data[s];
                    out[o + 2] = data[s];
                }
                case RGBA, P -> {
                    out[o] = data[s];
                    out[o + 1] = data[s + 1];
                    out[o + 2] = data[s + 2];
                }
                case CMYK -> {
                    int nk = 255 - (data[s + 3] & 0xFF);
                    for (int c = 0; c < 3; c++) {
                        out[o + c] = (byte) clip8(nk - mulDiv255(data[s + c] & 0xFF, nk));
                    }
                }
                default -> throw new IllegalStateException("unhandled mode " + mode);
            }
        }
        return new PixelImage(width, height, PixelMode.RGB, out, true);
    }

    /**
     * Pillow's {@code crop((left, top, right, bottom))} for a box inside the image.
     *
     * @throws IllegalArgumentException if the box is empty or not inside the image
     */
    public PixelImage crop(int left, int top, int right, int bottom) {
        if (left < 0 || top < 0 || right > width || bottom > height || left >= right || top >= bottom) {
            throw new IllegalArgumentException("crop box (" + left + ", " + top + ", " + right + ", " + bottom
                    + ") is empty or outside the " + width + "x" + height + " image");
        }
        int w = right - left;
        int h = bottom - top;
        int b = mode.bands();
        byte[] out = new byte[sampleCount(w, h, b)];
        for (int y = 0; y < h; y++) {
            System.arraycopy(data, ((top + y) * width + left) * b, out, y * w * b, w * b);
        }
        return new PixelImage(w, h, mode, out, true);
    }

    /**
     * A copy of this image with the same-sized region of {@code source} at
     * ({@code left}, {@code top}) pasted over it, like Pillow's {@code paste(source.crop(box), box)}.
     * Both images must have the same mode; the region must lie inside both.
     */
    public PixelImage pasteRegion(PixelImage source, int left, int top, int right, int bottom) {
        if (source.mode != mode || source.width != width || source.height != height) {
            throw new IllegalArgumentException("paste source is " + source.width + "x" + source.height + " "
                    + source.mode + ", target " + width + "x" + height + " " + mode);
        }
        if (left < 0 || top < 0 || right > width || bottom > height || left >= right || top >= bottom) {
            throw new IllegalArgumentException("paste box (" + left + ", " + top + ", " + right + ", " + bottom
                    + ") is empty or outside the " + width + "x" + height + " image");
        }
        byte[] out = data.clone();
        int b = mode.bands();
        for (int y = top; y < bottom; y++) {
            int off = (y * width + left) * b;
            System.arraycopy(source.data, off, out, off, (right - left) * b);
        }
        return new PixelImage(width, height, mode, out, true);
    }

    /**
     * {@code width * height * bands}, the length of a sample array, computed without overflow.
     *
     * @throws IllegalArgumentException when it exceeds what a Java array holds
     */
    public static int sampleCount(int width, int height, int bands) {
        long n = (long) width * height * bands;
        if (width < 0 || height < 0 || bands < 0 || n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a " + width + "x" + height + " image with " + bands + " bands has " + n
                    + " samples, more than an array holds");
        }
        return (int) n;
    }

    // Pillow's MULDIV255: a*b/255 rounded, with its exact integer formulation.
    static int mulDiv255(int a, int b) {
        int tmp = a * b + 128;
        return ((tmp >> 8) + tmp) >> 8;
    }

    static int clip8(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelImage p
                && p.width == width
                && p.height == height
                && p.mode == mode
                && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return (31 * (31 * width + height) + mode.hashCode()) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "PixelImage[" + width + "x" + height + " " + mode.pillowName() + "]";
    }
}
