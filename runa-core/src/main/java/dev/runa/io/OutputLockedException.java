package dev.runa.io;

import java.io.IOException;
import java.nio.file.Path;

/** Another run holds the lock on an output: the message names the output and the holder. */
public final class OutputLockedException extends IOException {
    private final Path output;
    private final String holder;

    /**
     * @param output the output that is locked
     * @param holder the holder's record (PID, command, start time), as its lock file says
     */
    public OutputLockedException(Path output, String holder) {
        super(output + " is being written by another run (" + holder
                + "); wait for it to finish or stop it, or write somewhere else");
        this.output = output;
        this.holder = holder;
    }

    /** The locked output. */
    public Path output() {
        return output;
    }

    /** The holder's record (PID, command, start time). */
    public String holder() {
        return holder;
    }
}
