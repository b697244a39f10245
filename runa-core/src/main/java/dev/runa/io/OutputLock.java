package dev.runa.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on an output (a file or a folder) for the duration of one run, so that two runs
 * never write the same output: the second is refused at once with {@link OutputLockedException}.
 *
 * <p>The lock is an operating-system lock ({@link FileChannel#tryLock()}) on the sibling file
 * {@code .NAME.lock}, which holds the holder's PID, description and start time for the refusal
 * message. A crashed holder's lock disappears with its process. {@link #close()} empties the lock
 * file but leaves it in place: removing it would let a run that opened the old file and a run that
 * created a new one both hold "the" lock. The file is never opened a second time while locked,
 * because closing any descriptor of a file drops the process's POSIX locks on it.
 *
 * <p>Not thread-safe; one instance per run, closed by the thread that acquired it. Within one JVM a
 * second acquisition of the same output is refused as well.
 */
public final class OutputLock implements AutoCloseable {
    // Lock files this JVM holds, with their records. Deliberately static: POSIX locks belong to the
    // process, and opening and closing a second descriptor of a locked file (as a second attempt
    // from this JVM would) silently drops the lock, so attempts from this JVM must be refused here.
    private static final ConcurrentHashMap<Path, String> HELD_IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path lockFile, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file that guards {@code output}: the hidden file {@code .NAME.lock} beside it. */
    public static Path lockFileOf(Path output) {
        Path abs = output.toAbsolutePath().normalize();
        return abs.resolveSibling("." + abs.getFileName() + ".lock");
    }

    /**
     * Locks {@code output} for this run, creating its parent folder if needed.
     *
     * @param output the file or folder the run writes
     * @param holder what holds it, for the message another run gets (e.g. "runa score")
     * @throws OutputLockedException when another run (in any process) holds it, naming the output and the holder
     * @throws IOException           when the lock file cannot be created (e.g. the folder is not writable)
     */
    public static OutputLock acquire(Path output, String holder) throws IOException {
        Objects.requireNonNull(holder, "holder");
        Path lockFile = lockFileOf(output);
        Files.createDirectories(lockFile.getParent());
        String record = "pid " + ProcessHandle.current().pid() + ", " + holder + ", since " + Instant.now();
        String heldHere = HELD_IN_THIS_JVM.putIfAbsent(lockFile, record);
        if (heldHere != null) {
            throw new OutputLockedException(output, heldHere);
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(
                    lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new OutputLockedException(output, readHolder(ch));
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((record + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            return new OutputLock(lockFile, ch, lock);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            HELD_IN_THIS_JVM.remove(lockFile);
            throw e;
        }
    }

    private static String readHolder(FileChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            int n = ch.read(buf, 0);
            String s = n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "another run (no details recorded yet)" : s;
        } catch (IOException e) {
            return "another run";
        }
    }

    /** The lock file. */
    public Path lockFile() {
        return lockFile;
    }

    /** Empties the lock file and releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            channel.truncate(0);
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
                HELD_IN_THIS_JVM.remove(lockFile);
            }
        }
    }
}
