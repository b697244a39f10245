package dev.runa.image;

/**
 * An image whose header declares more pixels than allowed ({@link DecodeOptions#checkPixels}):
 * refused before any pixel memory is allocated. Its {@link #kind()} is {@link Kind#TOO_LARGE}; a
 * service answers it with 413 rather than 415.
 */
public final class ImageTooLargeException extends ImageDecodeException {
    private final long maxPixels;

    /**
     * @param source    the file path or name of the bytes
     * @param problem   what was declared and which limit it exceeds
     * @param maxPixels the configured limit ({@link DecodeOptions#maxPixels()})
     */
    public ImageTooLargeException(String source, String problem, long maxPixels) {
        super(source, Kind.TOO_LARGE, problem, null);
        this.maxPixels = maxPixels;
    }

    /** The configured limit ({@link DecodeOptions#maxPixels()}); images above twice it are refused. */
    public long maxPixels() {
        return maxPixels;
    }
}
