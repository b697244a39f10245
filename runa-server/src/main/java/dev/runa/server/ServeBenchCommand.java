package dev.runa.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.data.Box;
import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecoder;
import dev.runa.ood.RunaDetector;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code runa bench serve}: requests/s, boxes/s and p50/p99 latency of {@code POST /v1/score} over
 * real HTTP on loopback at several client concurrencies (4 boxes per 640x480 image), next to
 * in-process scoring of the same requests measured in the same run, right before each level. Last
 * line is JSON; its {@code in_process_boxes_per_s} is the mean of the in-process runs.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Benchmark the HTTP service against in-process scoring (same model, same run).")
final class ServeBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DetectorOptions detector;

    @Option(
            names = "--concurrency",
            defaultValue = "1,4,16",
            split = ",",
            paramLabel = "N,...",
            description = "Client concurrencies (default: ${DEFAULT-VALUE})")
    int[] concurrency;

    @Option(
            names = "--requests",
            defaultValue = "32",
            paramLabel = "N",
            description = "Timed requests per concurrency and in process (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(
            names = "--boxes",
            defaultValue = "4",
            paramLabel = "N",
            description = "Boxes per image (default: ${DEFAULT-VALUE})")
    int boxes;

    @Option(
            names = "--max-batch",
            defaultValue = "16",
            paramLabel = "N",
            description = "The server's --max-batch (default: ${DEFAULT-VALUE})")
    int maxBatch;

    @Option(
            names = "--max-wait-ms",
            defaultValue = "5",
            paramLabel = "T",
            description = "The server's --max-wait-ms (default: ${DEFAULT-VALUE})")
    long maxWaitMs;

    private record Level(int concurrency, double requestsPerS, double boxesPerS, double p50, double p99) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        byte[] png = syntheticImage(640, 480, 7);
        List<Box> boxList = boxes(640, 480, boxes, 11);
        ObjectMapper json = new ObjectMapper();
        ObjectNode body = json.createObjectNode();
        body.put("image", Base64.getEncoder().encodeToString(png));
        ArrayNode arr = body.putArray("boxes");
        for (Box b : boxList) {
            arr.addArray().add(b.x1()).add(b.y1()).add(b.x2()).add(b.y2());
        }
        byte[] request = json.writeValueAsBytes(body);
        List<Level> levels = new ArrayList<>();
        List<Double> inProcessRuns = new ArrayList<>();
        try (RunaDetector runa = detector.open(maxBatch)) {
            for (int i = 0; i < 2; i++) {
                runa.score(ImageDecoder.decode(png, "bench", DecodeOptions.DEFAULT), boxList); // warm-up
            }
            ServerConfig config = new ServerConfig(
                    ServerConfig.DEFAULT_HOST,
                    0,
                    maxBatch,
                    maxWaitMs,
                    null,
                    // Throughput, not latency, is measured: no request may time out however slow the machine.
                    ServerLimits.DEFAULT.withQueueCapacity(256).withRequestTimeout(Duration.ofHours(1)));
            try (RunaServer server = RunaServer.start(runa, config)) {
                HttpClient client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
                URI uri = URI.create(server.url() + "/v1/score");
                post(client, uri, request); // warm-up
                out.printf(
                        Locale.ROOT,
                        "%11s %12s %10s %9s %9s %18s%n",
                        "concurrency",
                        "requests/s",
                        "boxes/s",
                        "p50 ms",
                        "p99 ms",
                        "in-process boxes/s");
                for (int c : concurrency) {
                    // In process right before each level (what the service does per request: decode,
                    // views, encoder, scores; one request at a time), so that a shared machine's
                    // drifting load hits both sides of each ratio alike.
                    double inProcess = inProcess(runa, png, boxList);
                    inProcessRuns.add(inProcess);
                    Level l = level(client, uri, request, c);
                    levels.add(l);
                    out.printf(
                            Locale.ROOT,
                            "%11d %12.2f %10.2f %9.1f %9.1f %18.2f   service/in-process %.2f%n",
                            c,
                            l.requestsPerS(),
                            l.boxesPerS(),
                            l.p50(),
                            l.p99(),
                            inProcess,
                            l.boxesPerS() / inProcess);
                    out.flush();
                }
            }
        }
        double inProcess = inProcessRuns.stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElse(0);
        ObjectNode last = json.createObjectNode();
        ArrayNode results = last.putArray("results");
        for (Level l : levels) {
            results.addObject()
                    .put("concurrency", l.concurrency())
                    .put("requests_per_s", round(l.requestsPerS()))
                    .put("boxes_per_s", round(l.boxesPerS()))
                    .put("p50_ms", round(l.p50()))
                    .put("p99_ms", round(l.p99()));
        }
        last.put("in_process_boxes_per_s", round(inProcess));
        out.println(json.writeValueAsString(last));
        return 0;
    }

    private double inProcess(RunaDetector runa, byte[] png, List<Box> boxList) {
        long t0 = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            runa.score(ImageDecoder.decode(png, "bench", DecodeOptions.DEFAULT), boxList);
        }
        return (double) requests * boxes / ((System.nanoTime() - t0) / 1e9);
    }

    private Level level(HttpClient client, URI uri, byte[] request, int c) throws Exception {
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
                        post(client, uri, request);
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
        return new Level(c, requests / seconds, requests * boxes / seconds, pct(latencies, 0.5), pct(latencies, 0.99));
    }

    private static void post(HttpClient client, URI uri, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST /v1/score answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Nearest-rank percentile of sorted values. */
    static double pct(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** A smooth colour field with noise, encoded as PNG: decodes like a photo, costs like one. */
    static byte[] syntheticImage(int w, int h, long seed) throws IOException {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int red = (x * 255 / w + r.nextInt(16)) & 0xFF;
                int green = (y * 255 / h + r.nextInt(16)) & 0xFF;
                int blue = ((x + y) * 127 / (w + h) + r.nextInt(16)) & 0xFF;
                img.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }

    /** {@code n} boxes of varied size inside a {@code w} x {@code h} image. */
    static List<Box> boxes(int w, int h, int n, long seed) {
        Random r = new Random(seed);
        List<Box> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double bw = 40 + r.nextInt(w / 2);
            double bh = 40 + r.nextInt(h / 2);
            double x = r.nextInt((int) (w - bw));
            double y = r.nextInt((int) (h - bh));
            out.add(new Box(x, y, x + bw, y + bh));
        }
        return out;
    }
}
