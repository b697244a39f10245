package dev.runa.image;

/**
 * An image file could not be read or decoded: missing, corrupt, truncated or of an unsupported
 * format. The message always names the file (or the name given for in-memory bytes).
 */
public class ImageDecodeException extends RuntimeException {
    private final String source;

    /**
     * @param source the file path or name of the bytes that failed
     * @param problem what went wrong, in words
     * @param cause  the underlying exception, or null
     */
    public ImageDecodeException(String source, String problem, Throwable cause) {
        super("cannot decode image " + source + ": " + problem, cause);
        this.source = source;
    }

    /** The file path or name of the bytes that failed. */
    public String source() {
        return source;
    }
}
