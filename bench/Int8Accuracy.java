// Development harness (not product code): pooled-feature and embedding cosine of int8 ViT-B/16 vision
// graphs against fp32 on random weights: with the default LayerNorms, with trained-like LayerNorm
// biases (RandomClipWeights.LayerNorms.TRAINED, issue 9 item 10), and with x10 / x30 LayerNorm outlier
// channels; for the per-run graph (QAttention, the former default), the per-row graph (the default)
// and diagnostics (no smoothing, fc2 in fp32).
// Images: 4 synthetic ones, plus ../shared/reference/images when present (3 photos-like files).
// Run: java -cp runa-cli/target/runa.jar:runa-core/target/test-classes bench/Int8Accuracy.java
// [default|trained|x30|trained-x30 ...]
// (-Dvariants=per-run,per-row keeps the variants whose names start so)
import dev.runa.clip.*;
import dev.runa.clip.checkpoint.WeightSource;
import dev.runa.clip.graph.*;
import dev.runa.image.ImageDecoder;
import java.nio.file.*;
import java.util.*;

public class Int8Accuracy {
    static double cos(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    public static void main(String[] args) {
        ClipConfig c = ClipConfig.vitB16();
        EncoderOptions o = EncoderOptions.defaults().withSpinWait(false).withPrecision(Precision.INT8);
        List<float[]> images = new ArrayList<>(CalibrationImages.synthetic(224, 4, 99));
        Path ref = Path.of(System.getProperty("images", "/work/shared/reference/images"));
        ClipImagePreprocessor pre = new ClipImagePreprocessor(224);
        for (String f : List.of("c_scene_1280x720.png", "b_noise_300x500.jpg", "e_rgba_333x222.png")) {
            if (Files.exists(ref.resolve(f))) images.add(pre.preprocess(ImageDecoder.decode(ref.resolve(f))));
        }
        int n = images.size();
        float[] pixels = new float[n * 3 * 224 * 224];
        for (int i = 0; i < n; i++)
            System.arraycopy(images.get(i), 0, pixels, i * images.get(i).length, images.get(i).length);
        List<float[]> calib = CalibrationImages.synthetic(224, CalibrationImages.DEFAULT_COUNT, 0);
        for (String weights : args.length > 0 ? args : new String[] {"default", "trained", "x30"}) {
            // "trained" and "trained-x30": RandomClipWeights.LayerNorms.TRAINED; "x30": outlier channels.
            RandomClipWeights.LayerNorms ln = weights.startsWith("trained")
                    ? RandomClipWeights.LayerNorms.TRAINED
                    : RandomClipWeights.LayerNorms.DEFAULT;
            String outliers = weights.contains("x") ? weights.substring(weights.indexOf('x') + 1) : null;
            try (RandomClipWeights base = new RandomClipWeights(c, 0, ln)) {
                WeightSource w = outliers != null ? new OutlierWeights(base, Float.parseFloat(outliers)) : base;
                List<ImageFeatures> fp32;
                try (VisionEncoder e = VisionEncoder.open(c, w, o.withPrecision(Precision.FP32))) {
                    fp32 = e.encode(pixels, n);
                }
                ActivationStats stats = VisionEncoder.activationStats(c, w, o, calib);
                GraphSpec.Int8Plan rows = new GraphSpec.Int8Plan(stats, 0.5, true);
                Map<String, GraphSpec> specs = new LinkedHashMap<>();
                specs.put(
                        "per-run QAttention (former)",
                        new GraphSpec(AttentionKind.ATTENTION, true, rows.withScales(ActivationScales.PER_RUN), false));
                specs.put("per-row (default)", new GraphSpec(AttentionKind.FUSED, true, rows, false));
                specs.put(
                        "per-row, no smoothing",
                        new GraphSpec(AttentionKind.FUSED, true, new GraphSpec.Int8Plan(null, 0.5, true), false));
                specs.put(
                        "per-row, fc2 fp32",
                        new GraphSpec(AttentionKind.FUSED, true, new GraphSpec.Int8Plan(stats, 0.5, false), false));
                List<String> only = Arrays.stream(
                                System.getProperty("variants", "").split(","))
                        .filter(x -> !x.isEmpty())
                        .toList();
                if (!only.isEmpty()) specs.keySet().removeIf(k -> only.stream().noneMatch(k::startsWith));
                for (var e : specs.entrySet()) {
                    try (VisionEncoder q = VisionEncoder.openGraph(c, w, o, VisionGraph.build(c, e.getValue()))) {
                        List<ImageFeatures> got = q.encode(pixels, n);
                        double minP = 1, minE = 1, meanP = 0;
                        StringBuilder per = new StringBuilder();
                        for (int i = 0; i < n; i++) {
                            double p = cos(fp32.get(i).pooled(), got.get(i).pooled());
                            minP = Math.min(minP, p);
                            meanP += p / n;
                            minE = Math.min(
                                    minE,
                                    cos(fp32.get(i).embedding(), got.get(i).embedding()));
                            per.append(String.format(Locale.ROOT, " %.5f", p));
                        }
                        System.out.printf(
                                Locale.ROOT,
                                "%-8s %-28s pooled cos min %.6f mean %.6f, embedding cos min %.6f |%s%n",
                                weights,
                                e.getKey(),
                                minP,
                                meanP,
                                minE,
                                per);
                    }
                }
            }
        }
    }
}
