package dev.runa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.Precision;
import dev.runa.ood.RunaDetector;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Over real HTTP: a full queue answers 429 with Retry-After, and a draining server 503 on an open connection. */
class BackPressureTest {
    @Test
    void fullQueueIs429WithRetryAfterAndDrainingIs503() throws Exception {
        double[][] boxes = new double[200][];
        for (int i = 0; i < boxes.length; i++) {
            boxes[i] = new double[] {i % 9, i % 7, 40 + i % 5, 40};
        }
        byte[] heavy = HttpFixture.jsonBody(TestModels.png(64, 48, 4), boxes);
        try (RunaDetector runa = TestModels.tiny(8, Precision.FP32)) {
            RunaServer server = RunaServer.start(
                    runa, new ServerConfig("127.0.0.1", 0, 8, 0, null, ServerLimits.DEFAULT.withQueueCapacity(1)));
            try {
                Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
                List<String> retryAfter = new ArrayList<>();
                ExecutorService pool = Executors.newFixedThreadPool(12);
                try {
                    List<Future<?>> fs = new ArrayList<>();
                    for (int c = 0; c < 12; c++) {
                        fs.add(pool.submit(() -> {
                            HttpFixture.Reply r =
                                    new HttpFixture(server.url()).post("/v1/score", "application/json", heavy);
                            statuses.computeIfAbsent(r.status(), k -> new AtomicInteger())
                                    .incrementAndGet();
                            if (r.status() == 429) {
                                ServerEndpointsTest.assertError(r, 429, null);
                                synchronized (retryAfter) {
                                    retryAfter.add(r.raw()
                                            .headers()
                                            .firstValue("Retry-After")
                                            .orElse(""));
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : fs) {
                        f.get(3, TimeUnit.MINUTES);
                    }
                } finally {
                    pool.shutdownNow();
                }
                assertTrue(statuses.containsKey(429), "queue of 1 never overflowed: " + statuses);
                assertEquals(Map.of(200, 0, 429, 0).keySet(), statuses.keySet(), statuses.toString());
                assertTrue(retryAfter.stream().allMatch(v -> v.equals("1")), retryAfter.toString());

                // Draining: a request whose body is still arriving is in flight; meanwhile a connection
                // opened before the shutdown gets 503, and the request still completes.
                HttpFixture open = new HttpFixture(server.url());
                assertEquals(200, open.get("/healthz").status());
                byte[] small = HttpFixture.jsonBody(TestModels.png(64, 48, 5), new double[][] {{2, 2, 40, 30}});
                URI u = URI.create(server.url());
                try (Socket slow = new Socket(u.getHost(), u.getPort())) {
                    slow.setSoTimeout(60_000);
                    OutputStream out = slow.getOutputStream();
                    out.write(
                            ("POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                                            + small.length + "\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                    out.write(small, 0, small.length / 2);
                    out.flush();
                    Thread.sleep(300); // the handler is now reading the body
                    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
                    Thread.sleep(200);
                    ServerEndpointsTest.assertError(open.get("/healthz"), 503, null);
                    assertTrue(!closing.isDone(), "close() did not wait for the request in flight");
                    out.write(small, small.length / 2, small.length - small.length / 2);
                    out.flush();
                    String status = new BufferedReader(
                                    new InputStreamReader(slow.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine();
                    assertEquals("HTTP/1.1 200 OK", status);
                    closing.get(2, TimeUnit.MINUTES);
                }
            } finally {
                server.close();
            }
        }
    }
}
