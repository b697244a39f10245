package dev.runa.server;

import dev.runa.detect.ObjectDetector;
import dev.runa.ood.RunaDetector;
import dev.runa.options.MaxPixelsOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code runa serve}: loads the model, binds the port, prints {@code listening on http://HOST:PORT}
 * and serves until SIGTERM or SIGINT, then stops gracefully (in-flight requests finish) and exits 0.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Serve RUNA scores over HTTP: POST /v1/score, POST /v1/detect (with --detector), GET /v1/info,"
                + " /healthz, /metrics, and a web inspector at /.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DetectorOptions detector;

    @Mixin
    ObjectDetectorOptions objectDetector;

    @Option(
            names = "--host",
            defaultValue = ServerConfig.DEFAULT_HOST,
            paramLabel = "H",
            description = "Interface to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE})")
    String host;

    @Option(
            names = "--port",
            defaultValue = "8080",
            paramLabel = "P",
            description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--max-batch",
            defaultValue = "16",
            paramLabel = "N",
            description =
                    "Most views (2 per box) from concurrent requests in one encoder batch (default: ${DEFAULT-VALUE})")
    int maxBatch;

    @Option(
            names = "--max-wait-ms",
            defaultValue = "5",
            paramLabel = "T",
            description = "Longest a request waits for others to share its batch (default: ${DEFAULT-VALUE})")
    long maxWaitMs;

    @Option(
            names = "--token-file",
            paramLabel = "F",
            description = "Require 'Authorization: Bearer <F's content>' on every route but GET /healthz")
    Path tokenFile;

    @Option(
            names = "--max-body-mb",
            defaultValue = "32",
            paramLabel = "MB",
            description = "Largest request body (default: ${DEFAULT-VALUE})")
    long maxBodyMb;

    // Help from this module's Options bundle (runa.max-pixels): here a refusal is a 413.
    @Mixin
    MaxPixelsOption maxPixels = new MaxPixelsOption();

    @Option(
            names = "--max-boxes",
            defaultValue = "256",
            paramLabel = "N",
            description = "Most boxes per request (default: ${DEFAULT-VALUE})")
    int maxBoxes;

    @Option(
            names = "--queue",
            defaultValue = "64",
            paramLabel = "N",
            description = "Requests that may wait for the encoder, and as many for the detector; more get 429"
                    + " (default: ${DEFAULT-VALUE})")
    int queue;

    @Option(
            names = "--timeout-s",
            defaultValue = "60",
            paramLabel = "S",
            description = "Longest a request waits for its scores (default: ${DEFAULT-VALUE})")
    int timeoutS;

    @Override
    public Integer call() throws Exception {
        objectDetector.check(spec.commandLine().getParseResult());
        ServerLimits limits = ServerLimits.DEFAULT
                .withMaxBodyBytes(maxBodyMb << 20)
                .withMaxBoxes(maxBoxes)
                .withQueueCapacity(queue)
                .withRequestTimeout(Duration.ofSeconds(timeoutS));
        if (maxPixels.given() != null) {
            limits = limits.withMaxPixels(maxPixels.given());
        }
        String token = tokenFile == null ? null : readToken(tokenFile);
        ServerConfig config = new ServerConfig(host, port, maxBatch, maxWaitMs, token, limits);
        CountDownLatch stop = new CountDownLatch(1);
        // SIGTERM/SIGINT ask for a graceful stop; the process then exits 0 from main, not 143.
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // The object detector first, as runa detect: a bad detector file is reported before CLIP loads.
        try (ObjectDetector objects = objectDetector.open(detector.threads());
                RunaDetector runa = detector.open(maxBatch, objects)) {
            RunaServer server = RunaServer.start(runa, objects, config);
            try {
                if (objects != null) {
                    err.printf(
                            Locale.ROOT,
                            "runa serve: detector %s (%s, %d classes), POST /v1/detect%n",
                            objects.source(),
                            objects.graph().format().key(),
                            runa.options().prompts().labels().size());
                    err.flush();
                }
                out.println("listening on " + server.url());
                out.flush();
                stop.await();
                err.println("runa serve: stopping (finishing requests in flight)");
                err.flush();
            } finally {
                server.close();
            }
        }
        return 0;
    }

    /** The token file's content without trailing whitespace. */
    static String readToken(Path file) throws IOException {
        String t = Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("token file " + file + " is empty");
        }
        return t;
    }
}
