package dev.runa.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.Precision;
import dev.runa.data.Box;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import dev.runa.ood.BoxFeatures;
import dev.runa.ood.BoxResult;
import dev.runa.ood.Calibration;
import dev.runa.ood.PreparedImage;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import dev.runa.ood.ScoreKind;
import dev.runa.progress.ProgressPolicy;
import dev.runa.progress.ProgressTask;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code runa quant-check}: runs the same boxes through RUNA with the fp32 and the int8 vision
 * encoder and reports how far int8 moves the features, the scores and the ID/OOD decisions, so
 * that a user decides on int8 with numbers from their own data. Prints a readable report, then as
 * its last line one JSON document with the same figures.
 */
@Command(
        name = "quant-check",
        mixinStandardHelpOptions = true,
        description =
                "Compare the int8 vision encoder with fp32 on your images and boxes (features, scores, decisions).")
final class QuantCheckCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    RunaSettingsOptions settings;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "Directory of JPEG/PNG images")
    Path images;

    @Option(
            names = "--boxes",
            paramLabel = "FILE",
            description = "CSV lines 'image,x1,y1,x2,y2' (image file name relative to --images; '#' starts a comment)")
    Path boxesFile;

    @Option(names = "--box", paramLabel = "X1,Y1,X2,Y2", description = "A box applied to every image; repeatable")
    List<String> boxes = new ArrayList<>();

    @Option(
            names = "--calibration",
            paramLabel = "FILE",
            description = "Calibrated threshold (runa calibrate); default: the fp32 95%%-ID threshold on these boxes")
    Path calibration;

    @Option(
            names = "--limit",
            defaultValue = "200",
            description = "At most this many images (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(images)) {
            throw new IllegalArgumentException("--images " + images + ": not a directory");
        }
        Map<String, List<Box>> work = boxesPerImage();
        if (work.isEmpty()) {
            throw new IllegalArgumentException(
                    "--images " + images + ": no JPEG or PNG images (or none named in --boxes)");
        }
        Calibration cal = calibration == null ? null : Calibration.load(calibration);
        PrintStream out = System.out;
        Stats pooled = new Stats();
        Stats embedding = new Stats();
        List<double[]> scorePairs = new ArrayList<>(); // {fp32, int8} decision scores
        String scoreKey;
        try (RunaDetector fp32 = open(Precision.FP32, cal);
                RunaDetector int8 = open(Precision.INT8, cal)) {
            scoreKey = fp32.options().decisionScore().key();
            ProgressTask progress = ProgressPolicy.forCommandLine(modelOptions.progress, System.err)
                    .start("quant-check", work.size(), " images", 0);
            for (Map.Entry<String, List<Box>> e : work.entrySet()) {
                progress.stepBy(1);
                PixelImage image = ImageDecoder.decode(images.resolve(e.getKey()));
                PreparedImage prepared = fp32.prepare(e.getKey(), image, e.getValue());
                List<BoxFeatures> fa = fp32.features(List.of(prepared)).get(0);
                List<BoxFeatures> fb = int8.features(List.of(prepared)).get(0);
                for (int i = 0; i < fa.size(); i++) {
                    pooled.add(fa.get(i).regional(), fb.get(i).regional());
                    pooled.add(fa.get(i).global(), fb.get(i).global());
                    var pa = fp32.pretrainedProjection();
                    if (fa.get(i).regional() != null) {
                        embedding.add(
                                pa.apply(fa.get(i).regional()),
                                pa.apply(fb.get(i).regional()));
                    }
                    if (fa.get(i).global() != null) {
                        embedding.add(
                                pa.apply(fa.get(i).global()), pa.apply(fb.get(i).global()));
                    }
                }
                List<BoxResult> ra = fp32.score(List.of(prepared)).get(0);
                List<BoxResult> rb = int8.score(List.of(prepared)).get(0);
                for (int i = 0; i < ra.size(); i++) {
                    if (ra.get(i).ok() && rb.get(i).ok()) {
                        var kind = fp32.options().decisionScore();
                        scorePairs.add(new double[] {
                            ra.get(i).scores().get(kind),
                            rb.get(i).scores().get(kind),
                            ra.get(i).scores().maxsim(),
                            rb.get(i).scores().maxsim()
                        });
                    }
                }
            }
            progress.close();
        }
        if (scorePairs.isEmpty()) {
            throw new IllegalArgumentException(
                    "quant-check: no box could be scored (all boxes empty or outside their images?)");
        }
        double threshold;
        String thresholdSource;
        if (cal != null) {
            threshold = cal.threshold();
            thresholdSource = "calibration " + calibration;
        } else {
            double[] fp = scorePairs.stream().mapToDouble(p -> p[0]).toArray();
            threshold = Calibration.fit(fp, ScoreKind.fromKey(scoreKey), Calibration.DEFAULT_ID_ACCEPT_RATE, null)
                    .threshold();
            thresholdSource = "fp32 95%-ID threshold on these boxes";
        }
        int flips = 0;
        double maxDelta = 0;
        double sumDelta = 0;
        double maxScoreDelta = 0;
        for (double[] p : scorePairs) {
            if ((p[0] < threshold) != (p[1] < threshold)) {
                flips++;
            }
            maxDelta = Math.max(maxDelta, Math.abs(p[2] - p[3]));
            sumDelta += Math.abs(p[2] - p[3]);
            maxScoreDelta = Math.max(maxScoreDelta, Math.abs(p[0] - p[1]));
        }
        int n = scorePairs.size();
        out.printf(Locale.ROOT, "quant-check: %d images, %d boxes, int8 vs fp32 vision encoder%n", work.size(), n);
        out.printf(
                Locale.ROOT,
                "pooled feature cosine:    min %.6f  mean %.6f  (%d views)%n",
                pooled.min,
                pooled.mean(),
                pooled.count);
        out.printf(Locale.ROOT, "embedding cosine:         min %.6f  mean %.6f%n", embedding.min, embedding.mean());
        out.printf(Locale.ROOT, "|delta maxsim|:           max %.6f  mean %.6f%n", maxDelta, sumDelta / n);
        out.printf(
                Locale.ROOT,
                "decision score %s: threshold %.6f (%s), max |delta| %.6f%n",
                scoreKey,
                threshold,
                thresholdSource,
                maxScoreDelta);
        out.printf(Locale.ROOT, "ID/OOD decisions flipped: %d of %d (%.2f%%)%n", flips, n, 100.0 * flips / n);
        ObjectNode doc = new ObjectMapper().createObjectNode();
        doc.put("images", work.size());
        doc.put("boxes", n);
        doc.put("pooled_cosine_min", pooled.min);
        doc.put("pooled_cosine_mean", pooled.mean());
        doc.put("embedding_cosine_min", embedding.min);
        doc.put("embedding_cosine_mean", embedding.mean());
        doc.put("maxsim_delta_max", maxDelta);
        doc.put("maxsim_delta_mean", sumDelta / n);
        doc.put("score", scoreKey);
        doc.put("threshold", threshold);
        doc.put("threshold_source", cal != null ? "calibration" : "fp32_id95");
        doc.put("decision_flips", flips);
        out.println(new ObjectMapper().writeValueAsString(doc));
        return 0;
    }

    private RunaDetector open(Precision p, Calibration cal) throws IOException {
        LoadedClip clip = modelOptions.loader(p).load(modelOptions.model);
        RunaOptions o;
        try {
            o = settings.toOptions(clip, cal);
        } catch (IOException | RuntimeException e) {
            clip.close();
            throw e;
        }
        return RunaDetector.open(clip, o);
    }

    /** Images of --images (sorted, at most --limit) with their boxes; the whole image when none are given. */
    private Map<String, List<Box>> boxesPerImage() throws IOException {
        Map<String, List<Box>> out = new LinkedHashMap<>();
        if (boxesFile != null) {
            List<String> lines = Files.readAllLines(boxesFile);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",");
                if (f.length != 5) {
                    throw new IllegalArgumentException(
                            boxesFile + " line " + (i + 1) + ": expected 'image,x1,y1,x2,y2', got '" + line + "'");
                }
                if (!Files.isRegularFile(images.resolve(f[0].strip()))) {
                    throw new IllegalArgumentException(
                            boxesFile + " line " + (i + 1) + ": no image '" + f[0].strip() + "' in " + images);
                }
                if (out.size() >= limit && !out.containsKey(f[0].strip())) {
                    continue;
                }
                out.computeIfAbsent(f[0].strip(), k -> new ArrayList<>())
                        .add(parseBox(f[1], f[2], f[3], f[4], boxesFile + " line " + (i + 1)));
            }
            return out;
        }
        List<Box> every = new ArrayList<>();
        for (String b : boxes) {
            String[] f = b.split(",");
            if (f.length != 4) {
                throw new IllegalArgumentException("--box " + b + ": expected X1,Y1,X2,Y2");
            }
            every.add(parseBox(f[0], f[1], f[2], f[3], "--box " + b));
        }
        try (Stream<Path> files = Files.list(images)) {
            for (Path file : files.filter(f ->
                            f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)$"))
                    .sorted()
                    .limit(limit)
                    .toList()) {
                List<Box> bs = every;
                if (bs.isEmpty()) {
                    PixelImage img = ImageDecoder.decode(file);
                    bs = List.of(new Box(0, 0, img.width(), img.height()));
                }
                out.put(file.getFileName().toString(), bs);
            }
        }
        return out;
    }

    private static Box parseBox(String x1, String y1, String x2, String y2, String where) {
        try {
            return new Box(
                    Double.parseDouble(x1.strip()),
                    Double.parseDouble(y1.strip()),
                    Double.parseDouble(x2.strip()),
                    Double.parseDouble(y2.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": box coordinates must be numbers");
        }
    }

    /** Running min/mean of cosines between paired vectors (null pairs are skipped). */
    private static final class Stats {
        double min = 1;
        double sum;
        int count;

        void add(float[] a, float[] b) {
            if (a == null || b == null) {
                return;
            }
            double ab = 0, aa = 0, bb = 0;
            for (int i = 0; i < a.length; i++) {
                ab += (double) a[i] * b[i];
                aa += (double) a[i] * a[i];
                bb += (double) b[i] * b[i];
            }
            double c = ab / Math.sqrt(aa * bb);
            min = Math.min(min, c);
            sum += c;
            count++;
        }

        double mean() {
            return count == 0 ? Double.NaN : sum / count;
        }
    }
}
