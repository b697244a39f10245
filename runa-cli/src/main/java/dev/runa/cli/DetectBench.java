package dev.runa.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.data.LabelSet;
import dev.runa.detect.DetectAndScore;
import dev.runa.detect.DetectorOptions;
import dev.runa.detect.ObjectDetector;
import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecoder;
import dev.runa.io.FileTrees;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
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
 * {@code runa bench detect}: images/s of a YOLOv8n-shaped detector at 640 x 640 ({@link YoloShapedGraph},
 * random weights) alone (PNG decode, letterbox, ONNX Runtime, decoding and NMS, one image at a time)
 * and with RUNA after it ({@link DetectAndScore}: one decode+detect worker ahead of RUNA's encoder),
 * both measured in the same run on the same generated 640 x 480 images. The last line is one JSON
 * document.
 */
final class DetectBench {
    private final String model;
    private final int threads;
    private final EncoderOptions options;
    private final int images;
    private final int maxDet;
    private final double minSeconds;

    DetectBench(String model, int threads, EncoderOptions options, int images, int maxDet, double minSeconds) {
        if (images < 1 || maxDet < 1) {
            throw new IllegalArgumentException("--detect-images and --max-det must be >= 1");
        }
        this.model = model;
        this.threads = threads;
        this.options = options;
        this.images = images;
        this.maxDet = maxDet;
        this.minSeconds = minSeconds;
    }

    int run(PrintWriter out) throws IOException {
        Path dir = Files.createTempDirectory("runa-bench-detect");
        try {
            List<Path> files = images(dir);
            long t = System.nanoTime();
            byte[] graph = YoloShapedGraph.build(640, 7);
            double buildS = (System.nanoTime() - t) / 1e9;
            DetectorOptions dopts = DetectorOptions.defaults(threads).withMaxDet(maxDet);
            HubSettings offline = HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1"), dir.resolve("hub"));
            try (ObjectDetector det = ObjectDetector.open(graph, "yolov8n-shaped (random weights)", dopts)) {
                det.detect(ImageDecoder.decode(files.get(0))); // warm-up
                int runs = 0;
                long boxesAlone = 0;
                long a0 = System.nanoTime();
                long elapsed;
                do {
                    for (Path f : files) {
                        boxesAlone += det.detect(ImageDecoder.decode(f)).size();
                        runs++;
                    }
                    elapsed = System.nanoTime() - a0;
                } while (elapsed < minSeconds * 1e9);
                double alone = runs / (elapsed / 1e9);

                LabelSet id = DetectAndScore.idClasses(det.graph(), det.source(), null);
                try (RunaDetector runa = RunaDetector.open(
                        new ClipLoader(new HubClient(offline), options).load(model),
                        RunaOptions.defaults(PromptSet.of(id.promptLabels())))) {
                    DetectAndScore pipeline = new DetectAndScore(det, runa, DecodeOptions.DEFAULT, 1, 1);
                    pipeline.run(files.subList(0, 1), 0, img -> {}); // warm-up
                    long[] boxes = {0};
                    long b0 = System.nanoTime();
                    pipeline.run(files, 0, img -> boxes[0] += img.objects().size());
                    double seconds = (System.nanoTime() - b0) / 1e9;
                    double withRuna = files.size() / seconds;
                    out.printf(
                            Locale.ROOT,
                            "Detector in the loop: YOLOv8n-shaped graph at 640x640 (%.2f M random weights, built in"
                                    + " %.1f s), %d ORT threads, %d generated 640x480 PNGs, conf %.2f, max-det %d;"
                                    + " RUNA model %s%n",
                            YoloShapedGraph.weights(640) / 1e6,
                            buildS,
                            threads,
                            files.size(),
                            dopts.conf(),
                            maxDet,
                            model);
                    out.printf(
                            Locale.ROOT,
                            "detection alone:  %8.3f images/s (%d images, %.1f boxes/image)%n",
                            alone,
                            runs,
                            boxesAlone / (double) runs);
                    out.printf(
                            Locale.ROOT,
                            "detection + RUNA: %8.3f images/s (%d images, %.1f boxes/image, %.1f s)%n",
                            withRuna,
                            files.size(),
                            boxes[0] / (double) files.size(),
                            seconds);
                    out.printf(Locale.ROOT, "ratio (with RUNA / alone): %.3f%n", withRuna / alone);
                    long peak = BenchCommand.peakRssMb();
                    out.printf(Locale.ROOT, "peak RSS: %d MB%n", peak);
                    ObjectMapper json = new ObjectMapper();
                    ObjectNode doc = json.createObjectNode();
                    doc.put("target", "detect");
                    doc.put("model", model);
                    doc.put("threads", threads);
                    doc.put("images", files.size());
                    doc.put("detect_images_per_s", round(alone));
                    doc.put("detect_runa_images_per_s", round(withRuna));
                    doc.put("boxes_per_image", round(boxes[0] / (double) files.size()));
                    doc.put("ratio", round(withRuna / alone));
                    doc.put("peak_rss_mb", peak);
                    out.println(json.writeValueAsString(doc));
                }
            }
        } finally {
            FileTrees.delete(dir);
        }
        return 0;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** 640 x 480 PNGs of smooth gradients with a few bright rectangles. */
    private List<Path> images(Path dir) throws IOException {
        Random rnd = new Random(3);
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
            int base = rnd.nextInt();
            for (int y = 0; y < 480; y++) {
                for (int x = 0; x < 640; x++) {
                    img.setRGB(x, y, (base + x * 3 + y * 5) & 0xffffff ^ rnd.nextInt(16));
                }
            }
            for (int r = 0; r < 4; r++) {
                int x0 = rnd.nextInt(560);
                int y0 = rnd.nextInt(400);
                int c = rnd.nextInt() | 0x808080;
                for (int y = y0; y < y0 + 40 + rnd.nextInt(40); y++) {
                    for (int x = x0; x < x0 + 40 + rnd.nextInt(40) && x < 640; x++) {
                        img.setRGB(x, Math.min(y, 479), c);
                    }
                }
            }
            Path f = dir.resolve("img" + i + ".png");
            ImageIO.write(img, "png", f.toFile());
            out.add(f);
        }
        return out;
    }
}
