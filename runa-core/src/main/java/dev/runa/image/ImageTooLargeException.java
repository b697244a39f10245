package dev.runa.image;

/** An image whose header declares more pixels than the caller allows; refused before decoding. */
public final class ImageTooLargeException extends ImageDecodeException {
    private final long maxPixels;

    /**
     * @param source    the file path or name of the bytes
     * @param width     declared width
     * @param height    declared height
     * @param maxPixels the limit it exceeds
     */
    public ImageTooLargeException(String source, int width, int height, long maxPixels) {
        super(
                source,
                width + "x" + height + " = " + (long) width * height + " pixels, more than the limit of " + maxPixels,
                null);
        this.maxPixels = maxPixels;
    }

    /** The limit the image exceeds. */
    public long maxPixels() {
        return maxPixels;
    }
}
