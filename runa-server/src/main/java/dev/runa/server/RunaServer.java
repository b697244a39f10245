package dev.runa.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.data.Box;
import dev.runa.detect.DetectedObject;
import dev.runa.detect.DetectorException;
import dev.runa.detect.ObjectDetector;
import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecodeException;
import dev.runa.image.ImageDecoder;
import dev.runa.image.ImageTooLargeException;
import dev.runa.image.PixelImage;
import dev.runa.ood.PreparedImage;
import dev.runa.ood.RunaDetector;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * {@code runa serve}: RUNA scoring over HTTP on Javalin (Jetty 12). Routes: {@code POST /v1/score},
 * {@code POST /v1/detect} (with an object detector), {@code GET /v1/info}, {@code GET /healthz},
 * {@code GET /metrics} (Prometheus text) and the web inspector at {@code GET /}. Request threads read,
 * parse, decode, run the object detector and cut views; a {@link DynamicBatcher} runs the encoder for
 * all of them, so detect and score requests share encoder batches. Every refusal is JSON
 * {@code {"error", "field"}} with a 4xx status (503 while shutting down); nothing a client sends
 * produces a 500 or a stack trace.
 *
 * <p>Thread-safe. Owns neither RUNA nor the object detector: close the server first, then them.
 */
public final class RunaServer implements AutoCloseable {
    private static final String JSON = "application/json";
    /** Most bytes of an oversized body read and dropped before answering 413. */
    private static final long DRAIN_LIMIT = 64L << 20;
    /** Request attribute set once an {@link ApiException} wrote the answer. */
    private static final String API_ERROR = "runa.api-error";

    private static final Set<String> ROUTES =
            Set.of("/v1/score", "/v1/detect", "/v1/info", "/healthz", "/metrics", "/");

    private final RunaDetector runa;
    private final ObjectDetector detector;
    private final DetectorGate detectorGate;
    private final ServerConfig config;
    private final ObjectMapper json = new ObjectMapper();
    private final ServiceJson bodies;
    private final ScoreRequestParser parser;
    private final DynamicBatcher batcher;
    private final ServerMetrics metrics;
    private final BearerAuth auth;
    private final Inspector inspector = new Inspector();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private final Javalin app;

    private RunaServer(RunaDetector runa, ObjectDetector detector, ServerConfig config) {
        this.runa = runa;
        this.detector = detector;
        this.config = config;
        // The detector and the encoder take turns on the cores: overlapped, their ONNX Runtime threads
        // stalled each other (docs/performance.md, "Service").
        Lock turns = new ReentrantLock(true);
        this.detectorGate = new DetectorGate(
                config.limits().queueCapacity(), config.limits().requestTimeout(), turns);
        this.bodies = new ServiceJson(json, runa, detector);
        this.parser = new ScoreRequestParser(json, config.limits().maxBoxes());
        this.auth = config.token() == null ? null : new BearerAuth(config.token());
        this.metrics = new ServerMetrics(this::queueDepth);
        this.batcher = new DynamicBatcher(
                runa, config.maxBatch(), config.maxWaitMs(), config.limits().queueCapacity(), metrics, turns);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.maxRequestSize = config.limits().maxBodyBytes();
            cfg.jetty.addConnector((server, http) -> {
                ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
                c.setHost(config.host());
                c.setPort(config.port());
                // A client that stops sending (trickling or vanished) loses its connection after this.
                c.setIdleTimeout(config.limits().idleTimeout().toMillis());
                return c;
            });
            cfg.routes.before(this::before);
            cfg.routes.after(this::after);
            cfg.routes.get("/healthz", this::health);
            cfg.routes.get("/v1/info", ctx -> ctx.contentType(JSON).result(bodies.info(config)));
            cfg.routes.get(
                    "/metrics",
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(metrics.scrape()));
            cfg.routes.post("/v1/score", this::score);
            cfg.routes.post("/v1/detect", this::detect);
            for (String path : inspector.paths()) {
                cfg.routes.get(path, ctx -> {
                    Inspector.Asset a = inspector.get(path);
                    ctx.header("Content-Security-Policy", Inspector.CONTENT_SECURITY_POLICY)
                            .header("X-Content-Type-Options", "nosniff")
                            .contentType(a.contentType())
                            .result(a.bytes());
                });
            }
            cfg.routes.exception(ApiException.class, (e, ctx) -> {
                if (e.status() == 429 || e.status() == 503) {
                    ctx.header("Retry-After", "1");
                }
                ctx.attribute(API_ERROR, true);
                ctx.status(e.status()).contentType(JSON).result(bodies.error(e.getMessage(), e.field()));
            });
            cfg.routes.exception(
                    HttpResponseException.class,
                    (e, ctx) -> ctx.status(e.getStatus()).contentType(JSON).result(bodies.error(e.getMessage(), null)));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                // Not the client's fault: logged here in full, answered without internals.
                System.err.println("runa serve: " + ctx.method() + " " + ctx.path() + " failed: " + e);
                e.printStackTrace(System.err);
                ctx.status(500)
                        .contentType(JSON)
                        .result(bodies.error("internal error: " + e.getClass().getSimpleName(), null));
            });
            cfg.routes.error(404, ctx -> {
                // A route's own 404 (/v1/detect without a detector) keeps its message.
                if (ctx.attribute(API_ERROR) == null) {
                    ctx.contentType(JSON).result(bodies.error("no such route: " + ctx.path(), null));
                }
            });
            cfg.routes.error(
                    405,
                    ctx -> ctx.contentType(JSON)
                            .result(bodies.error("method " + ctx.method() + " not allowed on " + ctx.path(), null)));
        });
    }

    /**
     * Binds the port and starts serving.
     *
     * @param runa   the detector (not owned; must outlive the server)
     * @param config where to listen, batching and limits
     */
    public static RunaServer start(RunaDetector runa, ServerConfig config) {
        return start(runa, null, config);
    }

    /**
     * Binds the port and starts serving, with {@code POST /v1/detect} when {@code detector} is given.
     *
     * @param runa     RUNA over the detector's ID classes (not owned; must outlive the server)
     * @param detector the object detector, or null for a server without {@code /v1/detect} (not
     *                 owned; must outlive the server)
     * @param config   where to listen, batching and limits
     */
    public static RunaServer start(RunaDetector runa, ObjectDetector detector, ServerConfig config) {
        RunaServer s = new RunaServer(runa, detector, config);
        try {
            s.app.start();
        } catch (RuntimeException e) {
            s.batcher.close();
            throw e;
        }
        return s;
    }

    // Read by the metrics gauge, which exists before the batcher does.
    private int queueDepth() {
        DynamicBatcher b = batcher;
        return b == null ? 0 : b.queueDepth();
    }

    /** The bound port (the chosen one when the config asked for 0). */
    public int port() {
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof ServerConnector sc && sc.getLocalPort() > 0) {
                return sc.getLocalPort();
            }
        }
        throw new IllegalStateException("the server is not listening");
    }

    /** {@code http://HOST:PORT}, the address it prints once ready. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port();
    }

    private void before(Context ctx) {
        ctx.attribute("runa.t0", System.nanoTime());
        if (auth != null
                && !(ctx.path().equals("/healthz") && ctx.method().name().equals("GET"))) {
            if (!auth.accepts(ctx.header("Authorization"))) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new ApiException(
                        401, "missing or wrong bearer token (Authorization: Bearer <token>)", "Authorization");
            }
        }
    }

    private void after(Context ctx) {
        if (draining) {
            ctx.header("Connection", "close");
        }
        Long t0 = ctx.attribute("runa.t0");
        String route = ROUTES.contains(ctx.path()) ? ctx.path() : inspector.get(ctx.path()) != null ? "/" : "other";
        metrics.request(route, ctx.status().getCode(), t0 == null ? 0 : System.nanoTime() - t0);
    }

    private void health(Context ctx) {
        if (draining) {
            throw new ApiException(503, "shutting down", null);
        }
        ctx.contentType(JSON).result("{\"status\":\"ok\"}");
    }

    private void score(Context ctx) throws IOException {
        long t0 = System.nanoTime();
        if (draining) {
            throw new ApiException(503, "the service is shutting down", null);
        }
        inFlight.incrementAndGet();
        try {
            ScoreRequest request = parser.parse(ctx.contentType(), body(ctx));
            PixelImage image = decode(request.image());
            PreparedImage prepared = runa.prepare("image", image, request.boxes());
            ScoredBoxes scored = await(batcher.submit(prepared));
            ctx.contentType(JSON).result(bodies.score(request, scored, (System.nanoTime() - t0) / 1e6));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * {@code POST /v1/detect}: the image alone. Decoded once; the detector runs on the request
     * thread (it is thread-safe) and RUNA's views of its boxes are cut from the same pixels and
     * queued to the batcher with the score requests'.
     */
    private void detect(Context ctx) throws IOException {
        long t0 = System.nanoTime();
        if (detector == null) {
            throw new ApiException(
                    404,
                    "this server was started without --detector, so it has no /v1/detect: start it with"
                            + " runa serve --detector det.onnx, or send boxes to /v1/score",
                    null);
        }
        if (draining) {
            throw new ApiException(503, "the service is shutting down", null);
        }
        inFlight.incrementAndGet();
        try {
            PixelImage image = decode(parser.image(ctx.contentType(), body(ctx)));
            List<DetectedObject> objects;
            try {
                objects = detectorGate.run(() -> detector.detect(image));
            } catch (DetectorException e) {
                // The graph refused this image at run time (e.g. a size it cannot take). The message
                // names the model by its file name only: clients need not learn the server's paths.
                String why = e.getMessage().replace(detector.source(), bodies.detectorName());
                throw new ApiException(422, "the detector failed on this image: " + why, "image");
            }
            ScoredBoxes scored = new ScoredBoxes(List.of(), List.of());
            if (!objects.isEmpty()) {
                List<Box> boxes = objects.stream().map(DetectedObject::box).toList();
                scored = await(batcher.submit(runa.prepare("image", image, boxes)));
            }
            ctx.contentType(JSON).result(bodies.detect(objects, scored, (System.nanoTime() - t0) / 1e6));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The body, read up to the limit: a longer one is refused without reading the rest. */
    private byte[] body(Context ctx) {
        long limit = config.limits().maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            discard(ctx, DRAIN_LIMIT);
            throw new ApiException(413, "body of " + declared + " bytes, more than the limit of " + limit, null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
        byte[] buf = new byte[65536];
        try (InputStream in = ctx.req().getInputStream()) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                if (out.size() > limit) {
                    discard(ctx, DRAIN_LIMIT);
                    throw new ApiException(413, "body longer than the limit of " + limit + " bytes", null);
                }
            }
        } catch (IOException e) {
            // The client went away or stalled past the idle timeout mid-upload.
            throw new ApiException(400, "incomplete request body: " + e.getMessage(), null);
        }
        return out.toByteArray();
    }

    /**
     * Reads and drops up to {@code max} more body bytes: most clients send the whole body before
     * reading the answer, and would see a reset instead of the 413 if the connection closed
     * under them. Past {@code max} the connection is closed anyway.
     */
    private static void discard(Context ctx, long max) {
        String expect = ctx.header("Expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue")) {
            return; // the client waits for our word before sending: it will get the 413 instead
        }
        byte[] buf = new byte[65536];
        long seen = 0;
        try {
            InputStream in = ctx.req().getInputStream();
            for (int n; seen < max && (n = in.read(buf)) >= 0; ) {
                seen += n;
            }
        } catch (IOException e) {
            // The client is gone; nothing to drain.
        }
    }

    private PixelImage decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new ApiException(400, "'image' is empty", "image");
        }
        try {
            return ImageDecoder.decode(
                    bytes,
                    "image",
                    DecodeOptions.DEFAULT.withMaxPixels(config.limits().maxPixels()));
        } catch (ImageTooLargeException e) {
            throw new ApiException(413, e.getMessage(), "image");
        } catch (ImageDecodeException e) {
            throw new ApiException(415, e.getMessage(), "image");
        } catch (OutOfMemoryError e) {
            throw new ApiException(413, "image too large to decode in this server's memory", "image");
        }
    }

    private ScoredBoxes await(CompletableFuture<ScoredBoxes> f) {
        try {
            return f.get(config.limits().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new ApiException(
                    503,
                    "scoring took longer than "
                            + config.limits().requestTimeout().toSeconds() + " s",
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException a) {
                throw a;
            }
            throw new IllegalStateException("scoring failed", e.getCause());
        }
    }

    /**
     * Graceful stop: refuse new work with 503, stop accepting connections, let every request in
     * flight finish (bounded by the request timeout), then stop the batcher and the HTTP server.
     */
    @Override
    public void close() {
        draining = true;
        // Connectors stop accepting; each future completes once its open connections are closed.
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof AbstractConnector ac) {
                closing.add(ac.shutdown());
            }
        }
        long deadline = System.nanoTime() + config.limits().requestTimeout().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // The last answers are being written and their connections close (Connection: close while
        // draining); an idle keep-alive connection is not waited for beyond this.
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // stop anyway
        }
        batcher.close();
        app.stop();
    }
}
