package dev.runa.image;

/**
 * An image file could not be read or decoded: missing, corrupt, truncated, too large or of an
 * unsupported format. The message always names the file (or the name given for in-memory bytes);
 * {@link #kind()} says which of these it was, for counting failures by reason.
 */
public class ImageDecodeException extends RuntimeException {
    /** Why an image could not be used. */
    public enum Kind {
        NOT_FOUND("image file not found"),
        UNREADABLE("image file not readable"),
        UNSUPPORTED("unsupported image format"),
        CORRUPT("corrupt image data"),
        TRUNCATED("truncated image"),
        TOO_LARGE("image exceeds the pixel limit");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** A short phrase for summaries ("truncated image"). */
        public String label() {
            return label;
        }
    }

    private final String source;
    private final Kind kind;

    /**
     * @param source  the file path or name of the bytes that failed
     * @param kind    which kind of failure
     * @param problem what went wrong, in words
     * @param cause   the underlying exception, or null
     */
    public ImageDecodeException(String source, Kind kind, String problem, Throwable cause) {
        super("cannot decode image " + source + ": " + problem, cause);
        this.source = source;
        this.kind = kind;
    }

    /** A failure of kind {@link Kind#CORRUPT}. */
    public ImageDecodeException(String source, String problem, Throwable cause) {
        this(source, Kind.CORRUPT, problem, cause);
    }

    /** The file path or name of the bytes that failed. */
    public String source() {
        return source;
    }

    /** Which kind of failure. */
    public Kind kind() {
        return kind;
    }
}
