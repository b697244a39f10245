package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Kills a real {@code runa} process at a known point, for the resume tests of {@code score} and
 * {@code detect} (the product CLI carries no test hook for it): one input image is swapped for a named
 * pipe, a run that reaches it blocks there, and the test kills the process once the rows before it
 * are in the partial output.
 */
final class KilledRuns {
    private KilledRuns() {}

    /** Starts {@code runa} in a JVM of its own (the test's class path), output to files {@code out} and {@code err} in {@code dir}. */
    static Process start(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                RunaCli.class.getName()));
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(cmd)
                .redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile())
                .start();
    }

    /** Waits (at most 120 s) until {@code partial} holds {@code bytes} bytes, then kills {@code p}. */
    static void killOnceWritten(Process p, Path partial, long bytes, Path dir) throws Exception {
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!(Files.exists(partial) && Files.size(partial) >= bytes)) {
                assertTrue(p.isAlive(), "the run ended before it was killed: " + Files.readString(dir.resolve("err")));
                assertTrue(System.nanoTime() < deadline, "the run wrote no rows in 120 s");
                Thread.sleep(50);
            }
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    /** True when this system makes named pipes (the tests that need one are skipped otherwise). */
    static boolean canMakeFifo(Path dir) {
        try {
            Path probe = dir.resolve("probe.fifo");
            mkfifo(probe);
            Files.delete(probe);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static void mkfifo(Path p) throws Exception {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).start();
        if (mk.waitFor() != 0) {
            throw new IllegalStateException("mkfifo " + p + " failed");
        }
    }
}
