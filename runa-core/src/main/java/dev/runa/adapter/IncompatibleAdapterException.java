package dev.runa.adapter;

import java.util.List;

/** An adapter used with a base model, class list or projection shape other than the one it was trained for. */
public final class IncompatibleAdapterException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final List<String> differences;

    public IncompatibleAdapterException(List<String> differences) {
        super(String.join("; and ", differences));
        this.differences = List.copyOf(differences);
    }

    /** Each difference, as a sentence for the user. */
    public List<String> differences() {
        return differences;
    }
}
