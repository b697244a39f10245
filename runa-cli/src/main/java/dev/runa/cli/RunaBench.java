package dev.runa.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.batch.BatchScorer;
import dev.runa.batch.DetectedBox;
import dev.runa.batch.ScoringJob;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.VisionEncoder;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.data.Box;
import dev.runa.data.LabelSet;
import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecoder;
import dev.runa.io.FileTrees;
import dev.runa.ood.ImageJob;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import dev.runa.ood.StageTimes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * {@code runa bench runa}: boxes/second end to end (PNG decode + both views + two encoder passes per
 * box + fusion and scores, through the same {@link BatchScorer} as {@code runa score}) on generated
 * 640x480 images, next to the encoder alone on batches of the same size measured in the same run.
 * One box costs two encoder images, so the encoder-only bound is {@code images_per_s / 2} boxes/s and
 * the overhead outside ONNX Runtime is {@code 1 - boxes_per_s / (images_per_s / 2)}.
 * The split (decode, RGB conversion, blur, views, encoder, scoring per box) shows where the rest
 * goes. Output: a readable summary, then as the LAST line one JSON document.
 */
final class RunaBench {
    /** Boxes whose decoding and views run before timing, so that the JIT has compiled that code. */
    private static final int WARM_UP_BOXES = 256;

    private final String model;
    private final int threads;
    private final EncoderOptions options;
    private final int boxes;
    private final int boxesPerImage;
    private final double minSeconds;
    private final int viewWorkers;

    RunaBench(
            String model,
            int threads,
            EncoderOptions options,
            int boxes,
            int boxesPerImage,
            double minSeconds,
            int viewWorkers) {
        if (boxes < 1 || boxesPerImage < 1) {
            throw new IllegalArgumentException("--boxes and --boxes-per-image must be >= 1");
        }
        if (viewWorkers < 1) {
            throw new IllegalArgumentException("--view-workers must be >= 1, got " + viewWorkers);
        }
        this.viewWorkers = viewWorkers;
        this.model = model;
        this.threads = threads;
        this.options = options;
        this.boxes = boxes;
        this.boxesPerImage = boxesPerImage;
        this.minSeconds = minSeconds;
    }

    int run(PrintWriter out) throws IOException {
        Path dir = Files.createTempDirectory("runa-bench");
        try {
            List<ScoringJob> jobs = images(dir);
            HubSettings offline = HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1"), dir.resolve("hub"));
            // Several sessions only run in parallel on the runs of one call: give every session a run.
            int maxViews = Math.max(RunaOptions.DEFAULT_MAX_VIEWS_PER_CALL, options.sessions() * options.maxRunBatch());
            int imagesPerBatch = Math.max(1, maxViews / (2 * boxesPerImage));
            int viewsPerCall = Math.min(maxViews, 2 * boxesPerImage * imagesPerBatch);
            try (RunaDetector runa = RunaDetector.open(
                    new ClipLoader(new HubClient(offline), options).load(model),
                    RunaOptions.defaults(PromptSet.of(LabelSet.VOC.promptLabels()))
                            .withMaxViewsPerCall(maxViews))) {
                BatchScorer scorer = new BatchScorer(runa, DecodeOptions.DEFAULT, viewWorkers, imagesPerBatch);
                VisionEncoder enc = runa.clip().model().vision();
                float[] pixels = new float[viewsPerCall * enc.pixelsPerImage()];
                Random rnd = new Random(0);
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (float) rnd.nextGaussian();
                }
                // Steady state, as in a long run: an untimed pass over the same images warms ORT's
                // arenas and threads, and decoding and views of WARM_UP_BOXES boxes let the JIT compile
                // that code (after a one-image warm-up it ran 2-4x its steady CPU per box through a
                // 48-box timed pass).
                scorer.run(jobs, img -> {});
                for (int warmed = 0; warmed < WARM_UP_BOXES; ) {
                    for (ScoringJob job : jobs) {
                        ImageJob j = job.imageJob();
                        runa.prepare(
                                j.file().toString(), ImageDecoder.decode(j.file(), DecodeOptions.DEFAULT), j.boxes());
                        warmed += j.boxes().size();
                    }
                }
                // The encoder alone is timed before and after the end-to-end pass and averaged, so
                // that a shared machine's drifting load weighs on both sides of the ratio alike.
                double imagesPerSBefore = encoderImagesPerS(enc, pixels, viewsPerCall);
                runa.stageTimes().reset();
                long t0 = System.nanoTime();
                int[] scored = {0};
                scorer.run(
                        jobs,
                        img -> scored[0] +=
                                (int) img.results().stream().filter(r -> r.ok()).count());
                double seconds = (System.nanoTime() - t0) / 1e9;
                double boxesPerS = scored[0] / seconds;
                Map<StageTimes.Stage, Double> split = runa.stageTimes().millis();
                double imagesPerSAfter = encoderImagesPerS(enc, pixels, viewsPerCall);
                double imagesPerS = (imagesPerSBefore + imagesPerSAfter) / 2;
                double bound = imagesPerS / 2;
                double overhead = 1 - boxesPerS / bound;
                out.printf(
                        Locale.ROOT,
                        "RUNA end to end, %s, %s, %d ORT threads in %d session(s), %d view workers, %d boxes on %d"
                                + " images (%d per image), encoder batch %d views, %d cores%n",
                        model,
                        options.precision().resolve().name().toLowerCase(Locale.ROOT),
                        threads,
                        options.sessions(),
                        viewWorkers,
                        scored[0],
                        jobs.size(),
                        boxesPerImage,
                        viewsPerCall,
                        Runtime.getRuntime().availableProcessors());
                out.printf(Locale.ROOT, "end to end:   %8.3f boxes/s (%.1f s)%n", boxesPerS, seconds);
                out.printf(
                        Locale.ROOT,
                        "encoder only: %8.3f images/s at batch %d (%.3f before, %.3f after) = %.3f boxes/s (2 views"
                                + " per box)%n",
                        imagesPerS,
                        viewsPerCall,
                        imagesPerSBefore,
                        imagesPerSAfter,
                        bound);
                out.printf(Locale.ROOT, "overhead outside ONNX Runtime: %.1f%%%n", 100 * overhead);
                out.printf(Locale.ROOT, "split, ms per box (CPU time of the stage's threads; encoder: wall time):%n");
                for (Map.Entry<StageTimes.Stage, Double> e : split.entrySet()) {
                    out.printf(
                            Locale.ROOT,
                            "  %-8s %8.2f%n",
                            e.getKey().name().toLowerCase(Locale.ROOT),
                            e.getValue() / Math.max(1, scored[0]));
                }
                long peak = BenchCommand.peakRssMb();
                out.printf(Locale.ROOT, "peak RSS: %d MB%n", peak);
                ObjectMapper json = new ObjectMapper();
                ObjectNode doc = json.createObjectNode();
                doc.put("target", "runa");
                doc.put("model", model);
                doc.put("threads", threads);
                doc.put("boxes", scored[0]);
                doc.put("boxes_per_s", round(boxesPerS));
                doc.put("encoder_batch", viewsPerCall);
                doc.put("encoder_images_per_s", round(imagesPerS));
                doc.put("encoder_images_per_s_before", round(imagesPerSBefore));
                doc.put("encoder_images_per_s_after", round(imagesPerSAfter));
                doc.put("encoder_bound_boxes_per_s", round(bound));
                doc.put("overhead", round(overhead));
                doc.put("peak_rss_mb", peak);
                doc.put("precision", options.precision().resolve().name().toLowerCase(Locale.ROOT));
                doc.put("sessions", options.sessions());
                doc.put("view_workers", viewWorkers);
                doc.put("cores", Runtime.getRuntime().availableProcessors());
                ObjectNode perBox = doc.putObject("split_ms_per_box");
                for (Map.Entry<StageTimes.Stage, Double> e : split.entrySet()) {
                    perBox.put(
                            e.getKey().name().toLowerCase(Locale.ROOT), round(e.getValue() / Math.max(1, scored[0])));
                }
                out.println(json.writeValueAsString(doc));
            }
        } finally {
            FileTrees.delete(dir);
        }
        return 0;
    }

    /** The encoder alone on calls of {@code views} images: at least 2 timed runs and minSeconds. */
    private double encoderImagesPerS(VisionEncoder enc, float[] pixels, int views) {
        int runs = 0;
        long e0 = System.nanoTime();
        long elapsed;
        do {
            enc.encode(pixels, views);
            runs++;
            elapsed = System.nanoTime() - e0;
        } while (runs < 2 || elapsed < minSeconds * 1e9);
        return views * runs / (elapsed / 1e9);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** PNG photos-sized images of smooth noise, with boxes of varied shapes. */
    private List<ScoringJob> images(Path dir) throws IOException {
        Random rnd = new Random(1);
        List<ScoringJob> jobs = new ArrayList<>();
        int w = 640;
        int h = 480;
        for (int made = 0; made < boxes; ) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int base = rnd.nextInt();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    img.setRGB(x, y, (base + x * 3 + y * 5) & 0xffffff ^ rnd.nextInt(16));
                }
            }
            Path f = dir.resolve("img" + jobs.size() + ".png");
            ImageIO.write(img, "png", f.toFile());
            List<DetectedBox> bs = new ArrayList<>();
            for (int b = 0; b < boxesPerImage && made < boxes; b++, made++) {
                double x1 = rnd.nextInt(w - 100);
                double y1 = rnd.nextInt(h - 100);
                bs.add(DetectedBox.of(new Box(
                        x1,
                        y1,
                        x1 + 40 + rnd.nextInt((int) (w - x1 - 40)),
                        y1 + 40 + rnd.nextInt((int) (h - y1 - 40)))));
            }
            jobs.add(new ScoringJob(jobs.size(), null, f, bs));
        }
        return jobs;
    }
}
