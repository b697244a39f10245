package dev.runa.clip;

import dev.runa.image.ClipGeometry;
import dev.runa.image.PillowResize;
import dev.runa.image.PixelImage;
import dev.runa.image.ResampleFilter;

/**
 * OpenAI CLIP's image preprocessing, matching the Python reference (torchvision on Pillow 9.4)
 * bit for bit on the same decoded pixels: {@code Resize(n, BICUBIC)} (short side to n),
 * {@code CenterCrop(n)}, {@code convert("RGB")}, {@code ToTensor()} (divide by 255 in float32),
 * {@code Normalize(mean, std)} (float32 subtract then divide).
 *
 * <p>Output is float32 in CHW order (3 x n x n), written into a caller-provided array at an
 * offset so a batch buffer can be filled in place. Instances are immutable and thread-safe.
 */
public final class ClipImagePreprocessor {
    /** CLIP's per-channel mean (RGB). */
    public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    /** CLIP's per-channel standard deviation (RGB). */
    public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final int size;
    private final float[] mean;
    private final float[] std;
    // normalized[c * 256 + v]: (v / 255f - mean[c]) / std[c], the same float32 operations per
    // sample as computing it, so the table changes no bit; a lookup instead of a division per sample.
    private final float[] normalized;

    /** CLIP preprocessing to {@code size x size} with CLIP's mean and std. */
    public ClipImagePreprocessor(int size) {
        this(size, CLIP_MEAN, CLIP_STD);
    }

    /**
     * @param size input resolution n (e.g. 224 for ViT-B/16, 336 for ViT-L/14-336)
     * @param mean per-channel mean, 3 values
     * @param std  per-channel standard deviation, 3 positive values
     */
    public ClipImagePreprocessor(int size, float[] mean, float[] std) {
        if (size < 1) {
            throw new IllegalArgumentException("CLIP input size must be >= 1, got " + size);
        }
        if (mean == null || mean.length != 3 || std == null || std.length != 3) {
            throw new IllegalArgumentException("CLIP mean and std need 3 values each");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("CLIP std values must be > 0, got " + s);
            }
        }
        this.size = size;
        this.mean = mean.clone();
        this.std = std.clone();
        this.normalized = new float[3 * 256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                normalized[c * 256 + v] = (v / 255f - this.mean[c]) / this.std[c];
            }
        }
    }

    /** The input resolution n. */
    public int size() {
        return size;
    }

    /** Floats one preprocessed image occupies: 3 * n * n. */
    public int floatsPerImage() {
        return 3 * size * size;
    }

    /**
     * Resize (short side to n, bicubic, Pillow semantics for the image's mode), centre crop and
     * conversion to RGB: the n x n 8-bit image that the tensor is made from.
     */
    public PixelImage resizeAndCrop(PixelImage image) {
        ClipGeometry.Size s = ClipGeometry.resizedSize(image.width(), image.height(), size);
        int left = ClipGeometry.centerCropOffset(s.width(), size);
        int top = ClipGeometry.centerCropOffset(s.height(), size);
        return PillowResize.resizeAndCrop(
                        image, s.width(), s.height(), ResampleFilter.BICUBIC, left, top, left + size, top + size)
                .toRgb();
    }

    /** Preprocesses {@code image} into a new float[3 * n * n]. */
    public float[] preprocess(PixelImage image) {
        float[] out = new float[floatsPerImage()];
        preprocess(image, out, 0);
        return out;
    }

    /**
     * Preprocesses {@code image} into {@code dest[offset .. offset + 3*n*n)} in CHW order.
     *
     * @throws IllegalArgumentException if the destination is too small
     */
    public void preprocess(PixelImage image, float[] dest, int offset) {
        checkDest(dest, offset);
        writeNormalized(resizeAndCrop(image), dest, offset);
    }

    /**
     * Writes an already n x n image (any mode; converted to RGB) normalised in CHW order, without
     * resizing: the last two steps ({@code ToTensor}, {@code Normalize}) alone.
     */
    public void writeNormalized(PixelImage square, float[] dest, int offset) {
        if (square.width() != size || square.height() != size) {
            throw new IllegalArgumentException(
                    "image is " + square.width() + "x" + square.height() + ", expected " + size + "x" + size);
        }
        checkDest(dest, offset);
        PixelImage rgb = square.toRgb();
        byte[] px = rgb.samples();
        int plane = size * size;
        for (int c = 0; c < 3; c++) {
            int table = c * 256;
            int o = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                // Same float32 operations as ToTensor (v / 255) then Normalize ((x - mean) / std).
                dest[o + i] = normalized[table + (px[i * 3 + c] & 0xFF)];
            }
        }
    }

    private void checkDest(float[] dest, int offset) {
        if (dest == null || offset < 0 || (long) offset + floatsPerImage() > dest.length) {
            throw new IllegalArgumentException("destination array of length " + (dest == null ? "null" : dest.length)
                    + " cannot hold " + floatsPerImage() + " floats at offset " + offset);
        }
    }
}
