package dev.runa.data;

import java.io.IOException;

/** A dataset or detector-output file whose content is invalid; the message names the file and the place in it. */
public final class MalformedDataException extends IOException {
    private static final long serialVersionUID = 1L;

    public MalformedDataException(String message) {
        super(message);
    }

    public MalformedDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
