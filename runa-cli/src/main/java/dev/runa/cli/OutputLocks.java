package dev.runa.cli;

import dev.runa.io.OutputLock;
import java.io.IOException;
import java.nio.file.Path;

/** The run's exclusive locks on the outputs it writes (see {@link OutputLock}); closing releases them. */
final class OutputLocks implements AutoCloseable {
    private final OutputLock lock;

    private OutputLocks(OutputLock lock) {
        this.lock = lock;
    }

    /** Locks {@code out} for {@code command} (e.g. "runa score"); nothing to lock when {@code out} is null. */
    static OutputLocks of(Path out, String command) throws IOException {
        return new OutputLocks(out == null ? null : OutputLock.acquire(out, command));
    }

    @Override
    public void close() throws IOException {
        if (lock != null) {
            lock.close();
        }
    }
}
