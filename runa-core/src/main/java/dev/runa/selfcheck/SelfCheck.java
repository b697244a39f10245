package dev.runa.selfcheck;

import dev.runa.clip.ClipImagePreprocessor;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.Precision;
import dev.runa.clip.VisionEncoder;
import dev.runa.clip.checkpoint.WeightSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link ZeroShotCase}s on a model and judges the fp32 probabilities against the expected
 * ones; optionally also runs the int8 vision encoder and reports how far it moves them. The verdict
 * is the fp32 one: int8 is reported, never judged, since its error is a property of the quantization
 * to be measured, not of correctness.
 *
 * <p>Holds only its loader; each {@link #run} opens and closes its own models. Thread-safe.
 */
public final class SelfCheck {
    /** Prompts per text-encoder call: 100 CIFAR prompts at once would hold ~60 MB of activations. */
    private static final int TEXT_BATCH = 20;

    private final ClipLoader loader;

    /**
     * @param loader finds the model (hub, directory or {@code random:NAME}); its precision setting is
     *               ignored: the check runs fp32, and int8 only when {@link #run} asks
     */
    public SelfCheck(ClipLoader loader) {
        this.loader = loader;
    }

    /**
     * @param model the model argument ({@code openai/clip-vit-base-patch32}, a directory, {@code random:tiny})
     * @param cases the checks, in report order
     * @param int8  also run the int8 vision encoder and report its drift from fp32
     */
    public SelfCheckReport run(String model, List<ZeroShotCase> cases, boolean int8) {
        List<double[]> fp32Probabilities = new ArrayList<>();
        List<List<float[]>> textEmbeddings = new ArrayList<>();
        String identity;
        double checkpointScale;
        ClipLoader fp32 = loader.withOptions(loader.options().withPrecision(Precision.FP32));
        try (LoadedClip clip = fp32.load(model)) {
            identity = clip.identity();
            checkpointScale = clip.model().logitScale();
            ClipImagePreprocessor pre =
                    new ClipImagePreprocessor(clip.model().config().vision().imageSize());
            for (ZeroShotCase c : cases) {
                List<float[]> texts = embedTexts(clip, c.prompts());
                textEmbeddings.add(texts);
                float[] image =
                        clip.model().vision().encode(pre.preprocess(c.image())).embedding();
                fp32Probabilities.add(probabilities(image, texts, scale(c, checkpointScale)));
            }
        }
        List<double[]> int8Probabilities = int8 ? runInt8(model, cases, textEmbeddings, checkpointScale) : null;
        List<CaseResult> results = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            ZeroShotCase c = cases.get(i);
            double[] p = fp32Probabilities.get(i);
            Comparison verdict = c.tolerance().judge(byLabel(c, p), c.expected());
            CaseResult.Int8Drift drift = null;
            if (int8Probabilities != null) {
                double[] q = int8Probabilities.get(i);
                double maxAbs = 0;
                double maxShift = 0;
                for (int k = 0; k < p.length; k++) {
                    maxAbs = Math.max(maxAbs, Math.abs(q[k] - p[k]));
                    maxShift = Math.max(maxShift, Math.abs(Math.log(q[k] / p[k])));
                }
                drift = new CaseResult.Int8Drift(
                        toList(q), maxAbs, maxShift, c.tolerance().judge(byLabel(c, q), c.expected()));
            }
            results.add(new CaseResult(c, scale(c, checkpointScale), toList(p), verdict, drift));
        }
        return new SelfCheckReport(identity, checkpointScale, results);
    }

    private List<double[]> runInt8(
            String model, List<ZeroShotCase> cases, List<List<float[]>> textEmbeddings, double checkpointScale) {
        // Only the vision tower differs in int8 (the text tower always runs fp32), so the fp32 text
        // embeddings are reused and only an int8 vision encoder is opened.
        ClipLoader int8 = loader.withOptions(loader.options().withPrecision(Precision.INT8));
        ClipLoader.Checkpoint ckpt = int8.resolve(model);
        List<double[]> out = new ArrayList<>();
        try (WeightSource weights = ckpt.weights();
                VisionEncoder vision = VisionEncoder.open(ckpt.config(), weights, int8.options())) {
            ClipImagePreprocessor pre =
                    new ClipImagePreprocessor(ckpt.config().vision().imageSize());
            for (int i = 0; i < cases.size(); i++) {
                ZeroShotCase c = cases.get(i);
                float[] image = vision.encode(pre.preprocess(c.image())).embedding();
                out.add(probabilities(image, textEmbeddings.get(i), scale(c, checkpointScale)));
            }
        }
        return out;
    }

    private static List<float[]> embedTexts(LoadedClip clip, List<String> prompts) {
        List<float[]> out = new ArrayList<>(prompts.size());
        for (int start = 0; start < prompts.size(); start += TEXT_BATCH) {
            out.addAll(clip.embedTexts(prompts.subList(start, Math.min(prompts.size(), start + TEXT_BATCH))));
        }
        return out;
    }

    private static double scale(ZeroShotCase c, double checkpointScale) {
        return c.fixedScale().orElse(checkpointScale);
    }

    private static double[] probabilities(float[] image, List<float[]> texts, double scale) {
        return ZeroShot.softmax(ZeroShot.logits(image, texts, scale));
    }

    private static Map<String, Double> byLabel(ZeroShotCase c, double[] p) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < p.length; i++) {
            m.put(c.labels().get(i), p[i]);
        }
        return m;
    }

    private static List<Double> toList(double[] p) {
        List<Double> l = new ArrayList<>(p.length);
        for (double v : p) {
            l.add(v);
        }
        return l;
    }
}
