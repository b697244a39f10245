// Development harness (not product code): pooled-feature cosine of the int8 ViT-B/16 vision graph
// against fp32 on random weights, plain and with x10 / x30 LayerNorm outlier channels, with and
// without SmoothQuant smoothing (and with fc2 kept fp32).
// Run: java -cp runa-cli/target/runa.jar:runa-core/target/test-classes bench/Int8Accuracy.java
import dev.runa.clip.*;
import dev.runa.clip.checkpoint.WeightSource;
import dev.runa.clip.graph.*;
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
        EncoderOptions o = EncoderOptions.defaults().withSpinWait(false).withPrepacking(false);
        List<float[]> calib = CalibrationImages.synthetic(224, 4, 0);
        float[] pixels = new float[4 * 3 * 224 * 224];
        List<float[]> test = CalibrationImages.synthetic(224, 4, 99);
        for (int i = 0; i < 4; i++)
            System.arraycopy(test.get(i), 0, pixels, i * test.get(i).length, test.get(i).length);
        for (float factor : new float[] {1f, 10f, 30f}) {
            try (RandomClipWeights base = new RandomClipWeights(c, 0)) {
                WeightSource w = factor == 1f ? base : new OutlierWeights(base, factor);
                List<ImageFeatures> ref;
                try (VisionEncoder fp32 = VisionEncoder.open(c, w, o)) {
                    ref = fp32.encode(pixels, 4);
                }
                ActivationStats stats = VisionEncoder.activationStats(c, w, o, calib);
                Map<String, GraphSpec.Int8Plan> plans = new LinkedHashMap<>();
                plans.put("no smoothing", new GraphSpec.Int8Plan(null, 0.5, true));
                plans.put("smooth a=0.5", new GraphSpec.Int8Plan(stats, 0.5, true));
                plans.put("smooth a=0.5 fc2 fp32", new GraphSpec.Int8Plan(stats, 0.5, false));
                plans.put("smooth a=0.5 QAttention", new GraphSpec.Int8Plan(stats, 0.5, true));
                for (var e : plans.entrySet()) {
                    AttentionKind kind =
                            e.getKey().endsWith("QAttention") ? AttentionKind.ATTENTION : AttentionKind.FUSED;
                    try (VisionEncoder q = VisionEncoder.openGraph(
                            c, w, o, VisionGraph.build(c, new GraphSpec(kind, false, e.getValue(), false)))) {
                        List<ImageFeatures> got = q.encode(pixels, 4);
                        double minP = 1, minE = 1;
                        for (int i = 0; i < 4; i++) {
                            minP = Math.min(
                                    minP, cos(ref.get(i).pooled(), got.get(i).pooled()));
                            minE = Math.min(
                                    minE, cos(ref.get(i).embedding(), got.get(i).embedding()));
                        }
                        System.out.printf(
                                Locale.ROOT,
                                "outliers x%-3.0f %-22s pooled cos min %.6f  embedding cos min %.6f%n",
                                factor,
                                e.getKey(),
                                minP,
                                minE);
                    }
                }
            }
        }
    }
}
