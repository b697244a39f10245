package dev.runa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code runa serve} in its own process: prints the contract's listening line, and on SIGTERM
 * finishes the request in flight, refuses new work with 503, and exits 0.
 */
class GracefulShutdownTest {
    @Test
    void sigtermFinishesInFlightWorkAndExitsZero() throws Exception {
        Process p = ServerProcesses.serve("--classes", "cat,dog", "--max-batch", "8", "--max-boxes", "2000")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            Matcher m = Pattern.compile("listening on (http://127\\.0\\.0\\.1:(\\d+))")
                    .matcher(line == null ? "" : line);
            assertTrue(m.matches(), "first stdout line: " + line);
            assertTrue(Integer.parseInt(m.group(2)) > 0);
            HttpFixture http = new HttpFixture(m.group(1));
            assertEquals(200, http.get("/healthz").status());
            List<double[]> boxes = new ArrayList<>();
            // Enough work (about ten times what finished within the wait on this machine after the view
            // speed-ups) that the request is surely still in flight when SIGTERM arrives.
            for (int i = 0; i < 1200; i++) {
                boxes.add(new double[] {i % 9, i % 5, 50 + i % 7, 40});
            }
            byte[] slow = HttpFixture.jsonBody(TestModels.png(80, 60, 3), boxes.toArray(double[][]::new));
            CompletableFuture<HttpFixture.Reply> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return new HttpFixture(m.group(1)).post("/v1/score", "application/json", slow);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertTrue(!inFlight.isDone(), "the request finished before SIGTERM; make it slower");
            p.destroy(); // SIGTERM
            HttpFixture.Reply r = inFlight.get(120, TimeUnit.SECONDS);
            assertEquals(200, r.status(), r.body());
            assertEquals(1200, r.json().get("boxes").size());
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "server did not exit");
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }
}
