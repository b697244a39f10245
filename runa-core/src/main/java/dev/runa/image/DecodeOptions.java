package dev.runa.image;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * How {@link ImageDecoder} turns a file into a {@link PixelImage}.
 *
 * @param applyExifOrientation rotate/flip the pixels as the EXIF orientation tag says
 *                             (like Pillow's {@code ImageOps.exif_transpose}). Off by default:
 *                             the Python reference ({@code Image.open}) ignores orientation, so
 *                             boxes from detectors run on the raw pixels stay aligned.
 * @param maxPixels            Pillow's {@code Image.MAX_IMAGE_PIXELS}: an image with more pixels than
 *                             this is decoded with a warning, one with more than twice as many is
 *                             refused before any pixel memory is allocated (a decompression bomb)
 * @param allowTruncated       decode a JPEG whose data ends early, filling the rest grey, as Pillow's
 *                             {@code ImageFile.LOAD_TRUNCATED_IMAGES}; by default such a file is an error
 * @param warnings             receives warnings (an image above {@code maxPixels}); called on decoder
 *                             threads, so it must be thread-safe
 */
public record DecodeOptions(
        boolean applyExifOrientation, long maxPixels, boolean allowTruncated, Consumer<String> warnings) {
    /**
     * The default pixel limit, Pillow's {@code Image.MAX_IMAGE_PIXELS} (= 1024 * 1024 * 1024 // 4 // 3):
     * the one place every front end takes it from.
     */
    public static final long DEFAULT_MAX_PIXELS = 89_478_485L;

    /** The defaults: orientation ignored, as Pillow's {@code Image.open}; Pillow's pixel limit; no truncated files. */
    public static final DecodeOptions DEFAULT = new DecodeOptions(false);

    public DecodeOptions {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maximum pixels must be >= 1, got " + maxPixels);
        }
        Objects.requireNonNull(warnings, "warnings");
    }

    /** The defaults with the given EXIF handling. */
    public DecodeOptions(boolean applyExifOrientation) {
        this(applyExifOrientation, DEFAULT_MAX_PIXELS, false, w -> {});
    }

    /** These options with another pixel limit. */
    public DecodeOptions withMaxPixels(long limit) {
        return new DecodeOptions(applyExifOrientation, limit, allowTruncated, warnings);
    }

    /** These options, accepting truncated JPEGs or not. */
    public DecodeOptions withAllowTruncated(boolean allow) {
        return new DecodeOptions(applyExifOrientation, maxPixels, allow, warnings);
    }

    /** These options with another warning receiver. */
    public DecodeOptions withWarnings(Consumer<String> receiver) {
        return new DecodeOptions(applyExifOrientation, maxPixels, allowTruncated, receiver);
    }

    /**
     * Pillow's decompression-bomb check on a size read from the file header: a warning above
     * {@link #maxPixels}, an {@link ImageTooLargeException} above twice it.
     */
    public void checkPixels(String name, int width, int height) {
        long pixels = (long) width * height;
        if (pixels > 2 * maxPixels) {
            throw new ImageTooLargeException(
                    name,
                    width + "x" + height + " = " + pixels + " pixels exceeds twice the limit of " + maxPixels
                            + " pixels (a possible decompression bomb); raise the limit to decode it",
                    maxPixels);
        }
        if (pixels > maxPixels) {
            warnings.accept(name + ": " + width + "x" + height + " = " + pixels + " pixels exceeds the limit of "
                    + maxPixels + " pixels (a possible decompression bomb); decoding it anyway");
        }
    }
}
