package dev.runa.cli;

import dev.runa.batch.BatchScorer;
import dev.runa.clip.ClipConfig;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.Precision;
import dev.runa.clip.VisionEncoder;
import dev.runa.clip.checkpoint.WeightSource;
import dev.runa.clip.graph.AttentionKind;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.options.ClipModelOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runa bench clip}: images/second of the vision encoder per batch size, and peak RSS.
 * Output contract: a readable table, then as the LAST line one JSON document
 * {@code {"results": [{"batch": B, "images_per_s": X}, ...], "peak_rss_mb": Y}}.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmark the CLIP vision encoder (images/second per batch size, peak RSS).")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "WHAT",
            description =
                    "What to benchmark: clip (vision encoder), runa (end-to-end boxes/second next to the encoder),"
                            + " finetune (few-shot feature extraction and epochs) or detect (a YOLOv8n-shaped detector"
                            + " alone and with RUNA)")
    String what;

    @Option(
            names = "--model",
            defaultValue = "random:vit-b-16",
            description =
                    "Hugging Face id, local checkpoint directory, or random:tiny|vit-b-16|vit-b-32 (default: ${DEFAULT-VALUE})")
    String model;

    @Option(
            names = "--batch",
            split = ",",
            defaultValue = "1,8,32",
            description = "Batch sizes (default: ${DEFAULT-VALUE})")
    List<Integer> batches;

    @Option(names = "--threads", description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE})")
    int threads = EncoderOptions.defaultThreads();

    @Option(
            names = "--min-seconds",
            defaultValue = "6",
            description = "Timed seconds per batch size, at least 2 runs (default: ${DEFAULT-VALUE})")
    double minSeconds;

    @Option(
            names = "--attention",
            defaultValue = "ATTENTION",
            description = "Attention graph: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    AttentionKind attention;

    @Option(
            names = "--precision",
            defaultValue = "fp32",
            converter = ClipModelOptions.PrecisionConverter.class,
            description = "Vision encoder arithmetic: fp32, int8 or auto (default: ${DEFAULT-VALUE})")
    Precision precision;

    @Option(names = "--no-prepacking", description = "Disable ORT weight pre-packing (less memory, usually slower)")
    boolean noPrepacking;

    @Option(
            names = "--boxes",
            defaultValue = "32",
            description = "runa: boxes to score end to end (default: ${DEFAULT-VALUE})")
    int boxes;

    @Option(
            names = "--boxes-per-image",
            defaultValue = "4",
            description = "runa: boxes per generated image (default: ${DEFAULT-VALUE})")
    int boxesPerImage;

    @Option(
            names = "--detect-images",
            defaultValue = "8",
            description = "detect: generated images (default: ${DEFAULT-VALUE})")
    int detectImages;

    @Option(
            names = "--max-det",
            defaultValue = "10",
            description = "detect: at most this many detections per image go to RUNA (default: ${DEFAULT-VALUE})")
    int maxDet;

    @Option(
            names = "--sessions",
            description = "Vision encoder sessions sharing --threads; clip: that many callers encode their own batches"
                    + " at once (default: one per 4 threads, so 1 below 8 threads)")
    Integer sessionsOption;

    @Option(
            names = "--view-workers",
            description = "runa: decode and view threads (default: as score's --workers, one per 8 processors)")
    Integer viewWorkers;

    @Option(names = "--classes", defaultValue = "20", description = "finetune: ID classes (default: ${DEFAULT-VALUE})")
    int ftClasses;

    @Option(
            names = "--shots",
            defaultValue = "10",
            description = "finetune: shots per class (default: ${DEFAULT-VALUE})")
    int ftShots;

    @Option(
            names = "--epochs",
            defaultValue = "100",
            description = "finetune: training epochs (default: ${DEFAULT-VALUE})")
    int ftEpochs;

    @Option(
            names = "--no-spinning",
            description = "Idle ORT threads sleep instead of spinning (for machines shared with other work)")
    boolean noSpinning;

    /** A model ready to run: its architecture and its weights (owned by the caller). */
    record ResolvedModel(ClipConfig config, WeightSource weights) {}

    /**
     * Turns {@code --model} into an architecture and weights through the project's one loader
     * (hub ids, local directories, {@code random:NAME}); the tokenizer is not needed here.
     */
    static ResolvedModel resolveModel(String spec) {
        ClipLoader loader = new ClipLoader(new HubClient(HubSettings.fromEnvironment()), EncoderOptions.defaults());
        ClipLoader.Checkpoint c = loader.resolve(spec);
        return new ResolvedModel(c.config(), c.weights());
    }

    /** The encoder as the options say (threads, attention, pre-packing, spinning, precision), one session. */
    private EncoderOptions encoderOptions() {
        return EncoderOptions.defaults()
                .withThreads(threads)
                .withAttention(attention)
                .withPrepacking(!noPrepacking)
                .withSpinWait(!noSpinning)
                .withPrecision(precision);
    }

    @Override
    public Integer call() throws IOException {
        int sessions = sessionsOption != null ? sessionsOption : EncoderOptions.defaultSessions(threads);
        if (what.equals("runa")) {
            return new RunaBench(
                            model,
                            threads,
                            encoderOptions().withSessions(sessions),
                            boxes,
                            boxesPerImage,
                            minSeconds,
                            viewWorkers != null
                                    ? viewWorkers
                                    : BatchScorer.defaultWorkers(
                                            Runtime.getRuntime().availableProcessors()))
                    .run(spec.commandLine().getOut());
        }
        if (what.equals("detect")) {
            return new DetectBench(model, threads, encoderOptions(), detectImages, maxDet, minSeconds)
                    .run(spec.commandLine().getOut());
        }
        if (what.equals("finetune")) {
            return new FinetuneBench(
                            model,
                            EncoderOptions.defaults().withThreads(threads).withPrecision(precision),
                            ftClasses,
                            ftShots,
                            ftEpochs)
                    .run(spec.commandLine().getOut());
        }
        if (!what.equals("clip")) {
            throw new IllegalArgumentException(
                    "bench: unknown target '" + what + "' (known: clip, runa, finetune, detect)");
        }
        for (int b : batches) {
            if (b < 1) {
                throw new IllegalArgumentException("--batch: batch sizes must be >= 1, got " + b);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        EncoderOptions options = encoderOptions().withSessions(sessions);
        ResolvedModel resolved = resolveModel(model);
        List<double[]> rows = new ArrayList<>();
        try (WeightSource weights = resolved.weights();
                VisionEncoder encoder = VisionEncoder.open(resolved.config(), weights, options)) {
            out.printf(
                    Locale.ROOT,
                    "CLIP vision encoder %s, %s, %d threads in %d session(s), attention %s, prepacking %s,"
                            + " spinning %s%n",
                    resolved.config().name(),
                    precision.resolve().name().toLowerCase(Locale.ROOT),
                    threads,
                    sessions,
                    precision.resolve() == Precision.INT8
                            ? "MultiHeadAttention (int8, per-row activation scales)"
                            : attention,
                    noPrepacking ? "off" : "on",
                    noSpinning ? "off" : "on");
            out.printf(Locale.ROOT, "%8s %8s %12s %12s%n", "batch", "runs", "ms/batch", "images/s");
            Random rnd = new Random(0);
            for (int batch : batches) {
                float[] pixels = new float[batch * encoder.pixelsPerImage()];
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (float) rnd.nextGaussian();
                }
                ParallelRuns.Result timed =
                        ParallelRuns.time(sessions, minSeconds, () -> encoder.encode(pixels, batch));
                int runs = timed.runs();
                long elapsed = timed.nanos();
                double msPerBatch = elapsed / 1e6 / runs * sessions;
                double imagesPerS = batch * runs / (elapsed / 1e9);
                rows.add(new double[] {batch, imagesPerS});
                out.printf(Locale.ROOT, "%8d %8d %12.1f %12.2f%n", batch, runs, msPerBatch, imagesPerS);
            }
        }
        long peakMb = peakRssMb();
        out.printf(Locale.ROOT, "peak RSS: %d MB%n", peakMb);
        out.println(contractJson(rows, peakMb));
        return 0;
    }

    /**
     * The contract line, spaced exactly as documented:
     * {@code {"results": [{"batch": 1, "images_per_s": X}, ...], "peak_rss_mb": Y}}.
     */
    static String contractJson(List<double[]> rows, long peakMb) {
        StringBuilder sb = new StringBuilder("{\"results\": [");
        for (int i = 0; i < rows.size(); i++) {
            sb.append(i == 0 ? "" : ", ")
                    .append(String.format(
                            Locale.ROOT,
                            "{\"batch\": %d, \"images_per_s\": %.3f}",
                            (int) rows.get(i)[0],
                            rows.get(i)[1]));
        }
        return sb.append("], \"peak_rss_mb\": ").append(peakMb).append('}').toString();
    }

    /** Peak resident set size (VmHWM) of this process in MB; -1 where /proc is unavailable. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return Math.round(kb / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
