package dev.runa.detect;

/** A detector model that cannot be used: unreadable, or outputs runa does not understand. The message names the file and the problem. */
public final class DetectorException extends RuntimeException {
    public DetectorException(String message) {
        super(message);
    }

    public DetectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
