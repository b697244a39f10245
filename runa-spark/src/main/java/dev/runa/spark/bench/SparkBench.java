package dev.runa.spark.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.batch.BatchScorer;
import dev.runa.batch.DetectedBox;
import dev.runa.batch.ScoringJob;
import dev.runa.batch.ScoringJobs;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.data.Box;
import dev.runa.data.LabelSet;
import dev.runa.image.DecodeOptions;
import dev.runa.io.FileTrees;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import dev.runa.output.BoxRow;
import dev.runa.output.JsonLinesFormat;
import dev.runa.spark.RunaSpark;
import dev.runa.spark.RunaSparkSettings;
import dev.runa.spark.SparkSessions;
import dev.runa.spark.table.DetectionTables;
import dev.runa.spark.table.ScoreRows;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code runa bench spark}: boxes/second of RUNA on a local Spark ({@code local[C]}, one ONNX Runtime
 * thread per task) against in-process {@code runa score} (the same {@link BatchScorer}, row
 * formatting included, C ONNX Runtime threads and 2 decode threads) on the same generated 640x480
 * PNGs and boxes, in the same run. Both are timed after a warm-up (model loaded, session started),
 * so the figures compare steady-state throughput; Spark's time includes planning, the shuffle by
 * image, decoding, scoring and producing every output row.
 *
 * <p>Output: a readable table (with the cost per box on each core count, for a scaling model), then
 * as the LAST line {@code {"spark_boxes_per_s", "in_process_boxes_per_s", "ratio"}} for the largest
 * core count.
 *
 * @param model         the CLIP to run (usually {@code random:vit-b-16})
 * @param boxes         boxes to score
 * @param boxesPerImage boxes per generated image
 * @param cores         Spark core counts to measure, e.g. {@code [1, 2]}; the in-process run uses the largest
 */
public record SparkBench(String model, int boxes, int boxesPerImage, List<Integer> cores) {
    public SparkBench {
        cores = List.copyOf(cores);
        if (boxes < 1 || boxesPerImage < 1 || cores.isEmpty() || cores.stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("boxes, boxes per image and every core count must be >= 1");
        }
    }

    /** Runs the benchmark and prints its report to {@code out}. */
    public void run(PrintWriter out) throws IOException {
        Path dir = Files.createTempDirectory("runa-bench-spark");
        try {
            ScoringJobs jobs = images(dir);
            List<String> classes = LabelSet.VOC.promptLabels();
            int maxCores = cores.stream().mapToInt(Integer::intValue).max().orElseThrow();
            double inProcess = inProcess(jobs, classes, maxCores);
            out.printf(
                    Locale.ROOT,
                    "RUNA %s, %d boxes on %d images (%d per image)%n",
                    model,
                    jobs.boxes(),
                    jobs.jobs().size(),
                    boxesPerImage);
            out.printf(
                    Locale.ROOT,
                    "in-process runa score (%d ORT threads, 2 decode threads): %8.3f boxes/s%n",
                    maxCores,
                    inProcess);
            double spark = 0;
            for (int c : cores) {
                double perS = spark(jobs, classes, c);
                out.printf(
                        Locale.ROOT,
                        "Spark local[%d] (%d tasks x 1 ORT thread):%s %8.3f boxes/s = %.1f core-ms per box%n",
                        c,
                        c,
                        " ".repeat(Math.max(0, 13 - Integer.toString(c).length() * 2)),
                        perS,
                        1000.0 * c / perS);
                if (c == maxCores) {
                    spark = perS;
                }
            }
            out.printf(Locale.ROOT, "ratio Spark / in-process at %d cores: %.3f%n", maxCores, spark / inProcess);
            ObjectNode doc = new ObjectMapper().createObjectNode();
            doc.put("spark_boxes_per_s", round(spark));
            doc.put("in_process_boxes_per_s", round(inProcess));
            doc.put("ratio", round(spark / inProcess));
            out.println(new ObjectMapper().writeValueAsString(doc));
            out.flush();
        } finally {
            FileTrees.delete(dir);
        }
    }

    private double inProcess(ScoringJobs jobs, List<String> classes, int threads) throws IOException {
        HubSettings hub = HubSettings.fromEnvironment().withProgress(false);
        EncoderOptions enc = EncoderOptions.defaults().withThreads(threads);
        try (RunaDetector runa = RunaDetector.open(
                new ClipLoader(new HubClient(hub), enc).load(model), RunaOptions.defaults(PromptSet.of(classes)))) {
            BatchScorer scorer =
                    new BatchScorer(runa, DecodeOptions.DEFAULT, 2, RunaSparkSettings.DEFAULT_IMAGES_PER_BATCH);
            JsonLinesFormat format = new JsonLinesFormat(false);
            long[] chars = {0};
            BatchScorer.Sink sink = img -> {
                for (BoxRow row : BoxRow.of(img, classes)) {
                    chars[0] += format.format(row).length();
                }
            };
            scorer.run(jobs.jobs().subList(0, 1), sink); // warm-up
            long t0 = System.nanoTime();
            scorer.run(jobs.jobs(), sink);
            return jobs.boxes() / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private double spark(ScoringJobs jobs, List<String> classes, int cores) {
        SparkSession active = SparkSession.getActiveSession().getOrElse(() -> null);
        if (active != null) {
            active.stop();
        }
        SparkSession spark = SparkSessions.getOrCreate("local[" + cores + "]", "runa bench spark");
        try {
            RunaSparkSettings s =
                    RunaSpark.resolve(spark, RunaSparkSettings.defaults(classes).withModel(model));
            Dataset<Row> all = DetectionTables.fromCoco(spark, jobs);
            // Warm-up: loads the executor's detector and JIT-compiles the plan's code paths.
            noop(ScoreRows.of(RunaSpark.score(
                    DetectionTables.fromCoco(
                            spark,
                            new ScoringJobs(
                                    jobs.jobs().subList(0, 1),
                                    jobs.jobs().get(0).boxes().size(),
                                    0)),
                    s)));
            long t0 = System.nanoTime();
            noop(ScoreRows.of(RunaSpark.score(all, s)));
            return jobs.boxes() / ((System.nanoTime() - t0) / 1e9);
        } finally {
            spark.stop();
        }
    }

    // Produces every row without writing it anywhere.
    private static void noop(Dataset<Row> rows) {
        rows.write().format("noop").mode("overwrite").save();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Photo-sized PNGs of smooth noise with boxes of varied shapes (as {@code runa bench runa} makes). */
    private ScoringJobs images(Path dir) throws IOException {
        Random rnd = new Random(1);
        List<ScoringJob> jobs = new ArrayList<>();
        int w = 640;
        int h = 480;
        int made = 0;
        while (made < boxes) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int base = rnd.nextInt();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    img.setRGB(x, y, (base + x * 3 + y * 5) & 0xffffff ^ rnd.nextInt(16));
                }
            }
            Path file = dir.resolve("img" + jobs.size() + ".png");
            ImageIO.write(img, "png", file.toFile());
            List<DetectedBox> bs = new ArrayList<>();
            for (int b = 0; b < boxesPerImage && made < boxes; b++, made++) {
                double bw = 40 + rnd.nextInt(300);
                double bh = 40 + rnd.nextInt(200);
                double x = rnd.nextInt((int) (w - bw));
                double y = rnd.nextInt((int) (h - bh));
                bs.add(DetectedBox.of(new Box(x, y, x + bw, y + bh)));
            }
            jobs.add(new ScoringJob(jobs.size(), "img" + jobs.size(), file, bs));
        }
        return new ScoringJobs(jobs, made, 0);
    }
}
