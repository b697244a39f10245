package dev.runa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.Precision;
import dev.runa.ood.RunaDetector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 16 concurrent clients x 50 requests mixing valid, malformed, oversized and dropped requests (a
 * client that vanishes mid-upload, one that trickles its body): zero 5xx, every valid response's
 * boxes bit-identical to the same request sent alone, and /healthz still answers afterwards.
 */
class LoadTest {
    static final int CLIENTS = 16;
    static final int REQUESTS = 50;

    @Test
    void mixedLoadKeepsServingAndAnswersLikeAlone() throws Exception {
        int variants = 6;
        byte[][] bodies = new byte[variants][];
        for (int v = 0; v < variants; v++) {
            int w = 64 + 16 * v;
            int h = 48 + 8 * v;
            double[][] boxes = new double[1 + v % 3][];
            for (int b = 0; b < boxes.length; b++) {
                boxes[b] = new double[] {b * 3, b * 2, w - 5 - b * 4, h - 3 - b};
            }
            bodies[v] = HttpFixture.jsonBody(TestModels.png(w, h, 100 + v), boxes);
        }
        ServerLimits limits = ServerLimits.DEFAULT
                .withMaxBodyBytes(100_000)
                .withQueueCapacity(256)
                .withIdleTimeout(Duration.ofSeconds(2));
        try (RunaDetector runa = TestModels.tiny(8, Precision.FP32);
                RunaServer server = RunaServer.start(runa, new ServerConfig("127.0.0.1", 0, 8, 3, null, limits))) {
            HttpFixture http = new HttpFixture(server.url());
            String[] alone = new String[variants];
            for (int v = 0; v < variants; v++) {
                HttpFixture.Reply r = http.post("/v1/score", "application/json", bodies[v]);
                assertEquals(200, r.status(), r.body());
                alone[v] = r.json().get("boxes").toString();
            }
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            List<String> mismatches = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger valid = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    fs.add(pool.submit(() -> {
                        HttpFixture mine = new HttpFixture(server.url());
                        for (int i = 0; i < REQUESTS; i++) {
                            int kind = (client * REQUESTS + i) % 10;
                            int v = (client + i) % variants;
                            int status;
                            if (kind < 6) {
                                HttpFixture.Reply r = mine.post("/v1/score", "application/json", bodies[v]);
                                status = r.status();
                                if (status == 200) {
                                    valid.incrementAndGet();
                                    String got = r.json().get("boxes").toString();
                                    if (!got.equals(alone[v])) {
                                        mismatches.add("variant " + v + ": " + got + " vs alone " + alone[v]);
                                    }
                                }
                            } else if (kind == 6) {
                                status = mine.post(
                                                "/v1/score",
                                                "application/json",
                                                "{\"image\": 12".getBytes(StandardCharsets.UTF_8))
                                        .status();
                            } else if (kind == 7) {
                                status = mine.post("/v1/score", "application/json", new byte[150_000])
                                        .status();
                            } else if (kind == 8) {
                                status = dropMidUpload(server.url());
                            } else {
                                status = mine.post(
                                                "/v1/score",
                                                "multipart/form-data; boundary=x",
                                                "--x\r\nbroken".getBytes(StandardCharsets.UTF_8))
                                        .status();
                            }
                            statuses.computeIfAbsent(status, k -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                        return null;
                    }));
                }
                // A client that trickles a byte at a time must not hold the others up.
                Future<?> trickler = pool.submit(() -> trickle(server.url()));
                for (Future<?> f : fs) {
                    f.get(5, TimeUnit.MINUTES);
                }
                trickler.cancel(true);
            } finally {
                pool.shutdownNow();
            }
            for (int s : statuses.keySet()) {
                assertTrue(s < 500, "status " + s + " seen " + statuses.get(s) + " times: " + statuses);
            }
            assertTrue(
                    mismatches.isEmpty(),
                    mismatches.size() + " responses differ from alone, e.g. "
                            + (mismatches.isEmpty() ? "" : mismatches.get(0)));
            assertEquals(CLIENTS * REQUESTS * 6 / 10, valid.get(), "valid requests answered 200: " + statuses);
            assertEquals(200, http.get("/healthz").status());
            assertEquals(
                    200, http.post("/v1/score", "application/json", bodies[0]).status());
        }
    }

    /** Sends headers promising 50,000 bytes, half of them, then closes the socket; -1 stands for "no answer". */
    static int dropMidUpload(String base) throws Exception {
        URI u = URI.create(base);
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(
                    ("POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000\r\n\r\n{\"image\": \"")
                            .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[25_000]);
            out.flush();
        }
        return -1;
    }

    /** Sends a request one byte every 100 ms until cancelled or the server drops it. */
    static Void trickle(String base) throws Exception {
        URI u = URI.create(base);
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(
                    "POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 300 && !Thread.currentThread().isInterrupted(); i++) {
                out.write(' ');
                out.flush();
                Thread.sleep(100);
            }
            InputStream in = s.getInputStream();
            in.read();
        } catch (IOException | InterruptedException e) {
            // dropped by the server or cancelled: either is fine
        }
        return null;
    }
}
