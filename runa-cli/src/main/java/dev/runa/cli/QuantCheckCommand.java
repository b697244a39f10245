package dev.runa.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.clip.Precision;
import dev.runa.data.Box;
import dev.runa.data.BoxText;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import dev.runa.ood.Calibration;
import dev.runa.ood.QuantizationCheck;
import dev.runa.ood.RunaDetector;
import dev.runa.progress.ProgressPolicy;
import dev.runa.progress.ProgressTask;
import java.io.IOException;
import java.io.PrintWriter;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

    @Spec
    CommandSpec spec;

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
        PrintWriter out = spec.commandLine().getOut();
        QuantizationCheck.Result r;
        try (RunaDetector fp32 = settings.openDetector(modelOptions, Precision.FP32, cal);
                RunaDetector int8 = settings.openDetector(modelOptions, Precision.INT8, cal)) {
            QuantizationCheck check = new QuantizationCheck(fp32, int8);
            try (ProgressTask progress = ProgressPolicy.forCommandLine(
                            modelOptions.progress, spec.commandLine().getErr())
                    .start("quant-check", work.size(), " images", 0)) {
                for (Map.Entry<String, List<Box>> e : work.entrySet()) {
                    check.add(e.getKey(), ImageDecoder.decode(images.resolve(e.getKey())), e.getValue());
                    progress.stepBy(1);
                }
            }
            try {
                r = check.result(cal);
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("quant-check: " + e.getMessage(), e);
            }
        }
        String scoreKey = r.score().key();
        String thresholdSource = r.calibrated() ? "calibration " + calibration : "fp32 95%-ID threshold on these boxes";
        int n = r.boxes();
        out.printf(Locale.ROOT, "quant-check: %d images, %d boxes, int8 vs fp32 vision encoder%n", r.images(), n);
        out.printf(
                Locale.ROOT,
                "pooled feature cosine:    min %.6f  mean %.6f  (%d views)%n",
                r.pooledCosineMin(),
                r.pooledCosineMean(),
                r.views());
        out.printf(
                Locale.ROOT,
                "embedding cosine:         min %.6f  mean %.6f%n",
                r.embeddingCosineMin(),
                r.embeddingCosineMean());
        out.printf(
                Locale.ROOT,
                "|delta maxsim|:           max %.6f  mean %.6f%n",
                r.maxsimDeltaMax(),
                r.maxsimDeltaMean());
        out.printf(
                Locale.ROOT,
                "decision score %s: threshold %.6f (%s), max |delta| %.6f%n",
                scoreKey,
                r.threshold(),
                thresholdSource,
                r.scoreDeltaMax());
        int flips = r.decisionFlips();
        out.printf(Locale.ROOT, "ID/OOD decisions flipped: %d of %d (%.2f%%)%n", flips, n, 100.0 * flips / n);
        ObjectNode doc = new ObjectMapper().createObjectNode();
        doc.put("images", r.images());
        doc.put("boxes", n);
        doc.put("pooled_cosine_min", r.pooledCosineMin());
        doc.put("pooled_cosine_mean", r.pooledCosineMean());
        doc.put("embedding_cosine_min", r.embeddingCosineMin());
        doc.put("embedding_cosine_mean", r.embeddingCosineMean());
        doc.put("maxsim_delta_max", r.maxsimDeltaMax());
        doc.put("maxsim_delta_mean", r.maxsimDeltaMean());
        doc.put("score", scoreKey);
        doc.put("threshold", r.threshold());
        doc.put("threshold_source", r.calibrated() ? "calibration" : "fp32_id95");
        doc.put("decision_flips", flips);
        out.println(new ObjectMapper().writeValueAsString(doc));
        return 0;
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
                        .add(BoxText.parse(String.join(",", f[1], f[2], f[3], f[4]), boxesFile + " line " + (i + 1)));
            }
            return out;
        }
        List<Box> every = new ArrayList<>();
        for (String b : boxes) {
            every.add(BoxInputOptions.parseBox(b));
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
}
