package dev.runa.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.data.Box;
import dev.runa.detect.ObjectDetector;
import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import dev.runa.ood.RunaDetector;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code runa bench serve}: parses its options and prints what {@link ServiceBenchmark} measures
 * ({@code POST /v1/score} with 4 boxes per 640x480 image, or {@code POST /v1/detect} with
 * {@code --detector}). Last line is JSON; its {@code in_process_boxes_per_s} is the mean of the
 * in-process runs.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Benchmark the HTTP service against in-process scoring (same model, same run);"
                + " with --detector, POST /v1/detect against in-process detection and scoring.")
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

    @Mixin
    ObjectDetectorOptions objectDetector = new ObjectDetectorOptions();

    @Option(
            names = "--image",
            paramLabel = "F",
            description = "The image every request sends (default: a generated 640x480 PNG); with --detector,"
                    + " one the detector finds objects on")
    Path image;

    @Override
    public Integer call() throws Exception {
        objectDetector.check(spec.commandLine().getParseResult());
        PrintWriter out = spec.commandLine().getOut();
        byte[] png = image != null ? Files.readAllBytes(image) : syntheticImage(640, 480, 7);
        PixelImage pixels = ImageDecoder.decode(png, image != null ? image.toString() : "bench", DecodeOptions.DEFAULT);
        List<Box> boxList = boxes(pixels.width(), pixels.height(), boxes, 11);
        ServerConfig config = new ServerConfig(
                ServerConfig.DEFAULT_HOST,
                0,
                maxBatch,
                maxWaitMs,
                null,
                // Throughput, not latency, is measured: no request may time out however slow the machine.
                ServerLimits.DEFAULT.withQueueCapacity(256).withRequestTimeout(Duration.ofHours(1)));
        List<ServiceBenchmark.Level> levels;
        ServiceBenchmark bench;
        try (ObjectDetector objects = objectDetector.open(detector.threads());
                RunaDetector runa = detector.open(maxBatch, objects)) {
            bench = new ServiceBenchmark(runa, objects, png, boxList, requests);
            out.printf(
                    Locale.ROOT,
                    "POST %s, %d boxes per request%n%11s %12s %10s %9s %9s %18s%n",
                    bench.route(),
                    bench.boxesPerRequest(),
                    "concurrency",
                    "requests/s",
                    "boxes/s",
                    "p50 ms",
                    "p99 ms",
                    "in-process boxes/s");
            out.flush();
            levels = bench.run(config, concurrency, l -> {
                out.printf(
                        Locale.ROOT,
                        "%11d %12.2f %10.2f %9.1f %9.1f %18.2f   service/in-process %.2f%n",
                        l.concurrency(),
                        l.requestsPerS(),
                        l.boxesPerS(),
                        l.p50(),
                        l.p99(),
                        l.inProcessBoxesPerS(),
                        l.boxesPerS() / l.inProcessBoxesPerS());
                out.flush();
            });
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode last = json.createObjectNode();
        last.put("route", bench.route());
        last.put("boxes_per_request", bench.boxesPerRequest());
        ArrayNode results = last.putArray("results");
        for (ServiceBenchmark.Level l : levels) {
            results.addObject()
                    .put("concurrency", l.concurrency())
                    .put("requests_per_s", round(l.requestsPerS()))
                    .put("boxes_per_s", round(l.boxesPerS()))
                    .put("p50_ms", round(l.p50()))
                    .put("p99_ms", round(l.p99()));
        }
        last.put(
                "in_process_boxes_per_s",
                round(levels.stream()
                        .mapToDouble(ServiceBenchmark.Level::inProcessBoxesPerS)
                        .average()
                        .orElse(0)));
        out.println(json.writeValueAsString(last));
        return 0;
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
            double bw = Math.min(w, 40 + r.nextInt(Math.max(1, w / 2)));
            double bh = Math.min(h, 40 + r.nextInt(Math.max(1, h / 2)));
            double x = r.nextInt(Math.max(1, (int) (w - bw)));
            double y = r.nextInt(Math.max(1, (int) (h - bh)));
            out.add(new Box(x, y, x + bw, y + bh));
        }
        return out;
    }
}
