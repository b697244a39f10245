package dev.runa.adapter;

import java.io.IOException;

/** A file that is not a readable runa adapter; the message names the file and the field at fault. */
public final class AdapterFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public AdapterFormatException(String message) {
        super(message);
    }

    public AdapterFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
