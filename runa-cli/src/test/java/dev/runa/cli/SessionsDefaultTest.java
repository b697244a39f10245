package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Without {@code --sessions}, the session count follows {@code --threads} (EncoderOptions.defaultSessions). */
class SessionsDefaultTest {
    private static ModelOptions parse(String... args) {
        ModelOptions o = new ModelOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void modelCommandsTakeOneSessionPerFourThreadsUnlessGiven() {
        // sessions(t) takes the threads in use (--threads capped at the processors), so the rule is
        // checked at 16 threads on any machine.
        assertEquals(1, parse().sessions(2), "2 threads: one session");
        assertEquals(1, parse("--threads", "4").sessions(4));
        assertEquals(2, parse("--threads", "8").sessions(8));
        assertEquals(4, parse("--threads", "16").sessions(16));
        assertEquals(1, parse("--threads", "16", "--sessions", "1").sessions(16), "an explicit count wins");
        assertEquals(3, parse("--threads", "2", "--sessions", "3").sessions(2));
    }

    @Test
    void benchRunaReportsTheDefaultSessions() throws Exception {
        CliRunner.Result r = CliRunner.run(
                "bench",
                "runa",
                "--model",
                "random:tiny",
                "--boxes",
                "2",
                "--min-seconds",
                "0",
                "--threads",
                "8",
                "--view-workers",
                "1");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        JsonNode doc = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals(2, doc.get("sessions").asInt(), "8 threads: two sessions of 4");
    }
}
