package dev.runa.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.data.Box;
import dev.runa.detect.DetectedObject;
import dev.runa.detect.ObjectDetector;
import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import dev.runa.ood.RunaDetector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The measurement behind {@code runa bench serve}: requests/s, boxes/s and p50/p99 latency of the
 * service over real HTTP on loopback at several client concurrencies, each level right after
 * in-process handling of the same request (one at a time), so that a shared machine's drifting
 * load hits both sides of each ratio alike. Without an object detector every request is
 * {@code POST /v1/score} with the image and its boxes (in process: decode, views, encoder,
 * scores); with one, {@code POST /v1/detect} with the image alone (in process: decode, detection,
 * then the same). One instance per run; not thread-safe; owns neither detector.
 */
final class ServiceBenchmark {
    /** One client concurrency: the service's figures and the in-process boxes/s measured before it. */
    record Level(
            int concurrency,
            double requestsPerS,
            double boxesPerS,
            double p50,
            double p99,
            double inProcessBoxesPerS) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunaDetector runa;
    private final ObjectDetector objects;
    private final byte[] image;
    private final List<Box> boxes;
    private final int requests;
    private final int boxesPerRequest;
    private final byte[] body;

    /**
     * @param runa     RUNA (not owned)
     * @param objects  the object detector for {@code /v1/detect}, or null for {@code /v1/score}
     * @param image    the encoded image every request sends
     * @param boxes    the boxes of a {@code /v1/score} request (ignored with a detector)
     * @param requests timed requests per level and in process
     * @throws IllegalArgumentException when the detector finds nothing on the image (nothing to score)
     */
    ServiceBenchmark(RunaDetector runa, ObjectDetector objects, byte[] image, List<Box> boxes, int requests) {
        if (requests < 1) {
            throw new IllegalArgumentException("requests must be >= 1, got " + requests);
        }
        this.runa = runa;
        this.objects = objects;
        this.image = image;
        this.requests = requests;
        ObjectNode b = JSON.createObjectNode();
        b.put("image", Base64.getEncoder().encodeToString(image));
        if (objects == null) {
            this.boxes = List.copyOf(boxes);
            ArrayNode arr = b.putArray("boxes");
            for (Box box : this.boxes) {
                arr.addArray().add(box.x1()).add(box.y1()).add(box.x2()).add(box.y2());
            }
        } else {
            this.boxes =
                    objects.detect(decode()).stream().map(DetectedObject::box).toList();
            if (this.boxes.isEmpty()) {
                throw new IllegalArgumentException(
                        "the detector finds no object on the benchmark image: give an image with objects (--image)");
            }
        }
        this.boxesPerRequest = this.boxes.size();
        try {
            this.body = JSON.writeValueAsBytes(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The route every request goes to. */
    String route() {
        return objects == null ? "/v1/score" : "/v1/detect";
    }

    /** Boxes scored per request (the given boxes, or the detector's on the image). */
    int boxesPerRequest() {
        return boxesPerRequest;
    }

    /**
     * Starts the service with {@code config}, warms both sides up, and measures every concurrency
     * in turn, handing each level to {@code each} as soon as it is measured.
     */
    List<Level> run(ServerConfig config, int[] concurrency, Consumer<Level> each) throws Exception {
        for (int i = 0; i < 2; i++) {
            handleInProcess();
        }
        List<Level> levels = new ArrayList<>();
        try (RunaServer server = RunaServer.start(runa, objects, config)) {
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            URI uri = URI.create(server.url() + route());
            post(client, uri); // warm-up
            for (int c : concurrency) {
                double inProcess = inProcess();
                Level l = level(client, uri, c, inProcess);
                levels.add(l);
                each.accept(l);
            }
        }
        return levels;
    }

    private PixelImage decode() {
        return ImageDecoder.decode(image, "bench", DecodeOptions.DEFAULT);
    }

    // What the service does for one request, on this thread.
    private void handleInProcess() {
        PixelImage pixels = decode();
        List<Box> b = objects == null
                ? boxes
                : objects.detect(pixels).stream().map(DetectedObject::box).toList();
        runa.score(pixels, b);
    }

    private double inProcess() {
        long t0 = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            handleInProcess();
        }
        return (double) requests * boxesPerRequest / ((System.nanoTime() - t0) / 1e9);
    }

    private Level level(HttpClient client, URI uri, int c, double inProcess) throws Exception {
        AtomicInteger next = new AtomicInteger();
        double[] latencies = new double[requests];
        ExecutorService pool = Executors.newFixedThreadPool(c);
        long t0 = System.nanoTime();
        try {
            List<Future<Void>> fs = new ArrayList<>();
            for (int i = 0; i < c; i++) {
                fs.add(pool.submit(() -> {
                    for (int k; (k = next.getAndIncrement()) < requests; ) {
                        long s = System.nanoTime();
                        post(client, uri);
                        latencies[k] = (System.nanoTime() - s) / 1e6;
                    }
                    return null;
                }));
            }
            for (Future<Void> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Arrays.sort(latencies);
        return new Level(
                c,
                requests / seconds,
                (double) requests * boxesPerRequest / seconds,
                pct(latencies, 0.5),
                pct(latencies, 0.99),
                inProcess);
    }

    private void post(HttpClient client, URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST " + route() + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Nearest-rank percentile of sorted values. */
    static double pct(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
