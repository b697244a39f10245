package dev.runa.image;

/**
 * How {@link ImageDecoder} turns a file into a {@link PixelImage}.
 *
 * @param applyExifOrientation rotate/flip the pixels as the EXIF orientation tag says
 *                             (like Pillow's {@code ImageOps.exif_transpose}). Off by default:
 *                             the Python reference ({@code Image.open}) ignores orientation, so
 *                             boxes from detectors run on the raw pixels stay aligned.
 */
public record DecodeOptions(boolean applyExifOrientation) {
    /** The defaults: orientation ignored, as Pillow's {@code Image.open}. */
    public static final DecodeOptions DEFAULT = new DecodeOptions(false);
}
