package dev.runa.io;

import java.nio.file.Path;

/**
 * A second process for {@link OutputLockTest}: holds the lock on args[0] until its stdin closes, or
 * exits with status 3 when the lock is held elsewhere.
 */
public final class LockHolderMain {
    private LockHolderMain() {}

    public static void main(String[] args) throws Exception {
        try (OutputLock lock = OutputLock.acquire(Path.of(args[0]), "lock-holder test process")) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the test to close our stdin
            }
        } catch (OutputLockedException e) {
            System.exit(3);
        }
    }
}
