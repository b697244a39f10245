package dev.runa.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputLockTest {
    @TempDir
    Path tmp;

    @Test
    void secondHolderInThisProcessIsRefusedWithPathAndHolder() throws Exception {
        Path out = tmp.resolve("scores.csv");
        try (OutputLock first = OutputLock.acquire(out, "runa score")) {
            OutputLockedException e =
                    assertThrows(OutputLockedException.class, () -> OutputLock.acquire(out, "runa eval"));
            assertTrue(e.getMessage().contains(out.toString()), e.getMessage());
            assertTrue(e.holder().contains("pid " + ProcessHandle.current().pid()), e.holder());
            assertTrue(e.holder().contains("runa score"), e.holder());
            assertTrue(Files.exists(first.lockFile()));
            // The refused attempt must not have dropped the OS lock (closing a second descriptor would).
            Process other = startHolder(out, false);
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
            assertEquals(3, other.exitValue(), "another process must still be refused");
        }
        assertEquals(0, Files.size(OutputLock.lockFileOf(out)), "the record goes with the lock");
        try (OutputLock again = OutputLock.acquire(out, "runa score")) {
            assertTrue(Files.exists(again.lockFile()));
        }
    }

    @Test
    void anotherProcessHoldingTheLockRefusesUsUntilItEnds() throws Exception {
        Path out = tmp.resolve("reports");
        Process holder = startHolder(out);
        try {
            OutputLockedException e =
                    assertThrows(OutputLockedException.class, () -> OutputLock.acquire(out, "runa eval"));
            assertTrue(e.holder().contains("pid " + holder.pid()), e.holder());
            assertTrue(e.holder().contains("lock-holder test process"), e.holder());
            holder.getOutputStream().close(); // lets it finish and release
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, holder.exitValue());
        } finally {
            holder.destroyForcibly();
        }
        try (OutputLock mine = OutputLock.acquire(out, "runa eval")) {
            assertTrue(Files.readString(mine.lockFile()).contains("runa eval"));
        }
    }

    @Test
    void aKilledHoldersStaleLockFileIsTakenOver() throws Exception {
        Path out = tmp.resolve("a.safetensors");
        Process holder = startHolder(out);
        holder.destroyForcibly();
        assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(OutputLock.lockFileOf(out)), "a killed process cannot clean up");
        try (OutputLock mine = OutputLock.acquire(out, "runa finetune")) {
            assertTrue(Files.readString(mine.lockFile()).contains("runa finetune"));
        }
    }

    private static Process startHolder(Path out) throws Exception {
        return startHolder(out, true);
    }

    private static Process startHolder(Path out, boolean expectLocked) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockHolderMain.class.getName(),
                        out.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (!expectLocked) {
            return p;
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (!"locked".equals(line)) {
            p.destroyForcibly();
            throw new AssertionError("lock holder did not start: " + line);
        }
        return p;
    }
}
