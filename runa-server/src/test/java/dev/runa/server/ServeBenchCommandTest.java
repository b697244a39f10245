package dev.runa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code runa bench serve}: its last line is the contract's JSON, over real HTTP (tiny model, few requests). */
class ServeBenchCommandTest {
    @Test
    void lastLineIsTheContractJson() throws Exception {
        CommandLine cl = ServerMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(
                "bench",
                "serve",
                "--model",
                "random:tiny",
                "--classes",
                "a,b",
                "--threads",
                "1",
                "--requests",
                "3",
                "--concurrency",
                "1,2");
        assertEquals(0, rc, err.toString());
        List<String> lines = out.toString().lines().toList();
        JsonNode last = HttpFixture.JSON.readTree(lines.get(lines.size() - 1));
        assertEquals(2, last.get("results").size());
        int c = 1;
        for (JsonNode r : last.get("results")) {
            assertEquals(c, r.get("concurrency").asInt());
            for (String k : new String[] {"requests_per_s", "boxes_per_s", "p50_ms", "p99_ms"}) {
                assertTrue(r.get(k).asDouble() > 0, k + " in " + r);
            }
            assertEquals(
                    4 * r.get("requests_per_s").asDouble(), r.get("boxes_per_s").asDouble(), 0.05);
            assertTrue(r.get("p99_ms").asDouble() >= r.get("p50_ms").asDouble());
            c *= 2;
        }
        assertTrue(last.get("in_process_boxes_per_s").asDouble() > 0);
    }

    @Test
    void nearestRankPercentile() {
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, ServeBenchCommand.pct(v, 0.5));
        assertEquals(10, ServeBenchCommand.pct(v, 0.99));
        assertEquals(1, ServeBenchCommand.pct(v, 0.01));
    }
}
