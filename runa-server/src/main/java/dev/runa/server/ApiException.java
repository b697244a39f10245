package dev.runa.server;

/**
 * A request the service refuses, answered as {@code {"error": message, "field": field}} with this
 * HTTP status (4xx, or 503 while shutting down). Never carries a stack trace to the client.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String field;

    ApiException(int status, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    int status() {
        return status;
    }

    /** The request field the error is about, or null. */
    String field() {
        return field;
    }
}
