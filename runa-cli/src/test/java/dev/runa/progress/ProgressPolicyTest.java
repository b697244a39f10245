package dev.runa.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressPolicyTest {
    @Test
    void withoutATerminalProgressIsAPlainLineEveryInterval() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        long[] now = {0};
        ProgressPolicy p = new ProgressPolicy(
                ProgressPolicy.Mode.LINES,
                new PrintWriter(new OutputStreamWriter(buf, StandardCharsets.UTF_8), true),
                () -> now[0],
                Duration.ofSeconds(5));
        try (ProgressTask t = p.start("score", 100, " boxes", 0)) {
            for (int i = 1; i <= 100; i++) {
                now[0] += 200_000_000L; // 0.2 s per box: 20 s in all
                t.stepBy(1);
            }
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("\r") || out.contains("\u001b"), "no carriage returns or ANSI codes: " + out);
        String[] lines = out.split("\n");
        // at 5, 10, 15 and 20 s, plus the closing line
        assertEquals(5, lines.length, out);
        assertEquals("score: 25/100 boxes (25%), 5 s, about 15 s left", lines[0]);
        assertEquals("score: 100/100 boxes (100%), 20 s", lines[4]);
    }

    @Test
    void offShowsNothing() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressPolicy p = new ProgressPolicy(
                ProgressPolicy.Mode.OFF, new PrintWriter(buf, true), System::nanoTime, Duration.ZERO);
        try (ProgressTask t = p.start("eval", 3, " img", 0)) {
            t.stepBy(3);
        }
        assertEquals(0, buf.size());
    }
}
