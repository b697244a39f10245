package dev.runa.finetune;

import dev.runa.ood.Projection;

/**
 * Zero-shot-style ID classification accuracy of a projection on held-out regions: each pooled
 * feature is projected and assigned the class whose prompt embedding has the highest cosine
 * similarity (ties to the lower class index), as CLIP classifies. Used to report whether
 * fine-tuning helps beyond the training loss. Holds copies of its data; thread-safe.
 */
public final class HeldOutEvaluator {
    private final float[][] features;
    private final int[] labels;
    private final float[][] prompts;

    /**
     * @param features pooled features of the held-out regions, {@code [n][D]}
     * @param labels   their class indices
     * @param prompts  the K prompt embeddings (need not be unit length)
     */
    public HeldOutEvaluator(float[][] features, int[] labels, float[][] prompts) {
        if (features.length != labels.length) {
            throw new IllegalArgumentException(features.length + " held-out features but " + labels.length + " labels");
        }
        if (prompts.length == 0) {
            throw new IllegalArgumentException("no prompt embeddings");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= prompts.length) {
                throw new IllegalArgumentException("held-out label " + labels[i] + " of sample " + i
                        + " is not a class index in [0, " + prompts.length + ")");
            }
        }
        this.features = new float[features.length][];
        for (int i = 0; i < features.length; i++) {
            this.features[i] = features[i].clone();
        }
        this.labels = labels.clone();
        this.prompts = new float[prompts.length][];
        for (int j = 0; j < prompts.length; j++) {
            this.prompts[j] = Projection.normalize(prompts[j]);
        }
    }

    /** Number of held-out samples. */
    public int size() {
        return labels.length;
    }

    /** Fraction of held-out samples classified correctly (NaN when there are none). */
    public double accuracy(Projection projection) {
        if (labels.length == 0) {
            return Double.NaN;
        }
        int correct = 0;
        int[] pred = predictions(projection);
        for (int i = 0; i < pred.length; i++) {
            if (pred[i] == labels[i]) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }

    /** The predicted class of every held-out sample ({@code -1} when its projection is the zero vector). */
    public int[] predictions(Projection projection) {
        int[] out = new int[features.length];
        for (int i = 0; i < features.length; i++) {
            out[i] = classify(projection.apply(features[i]), prompts);
        }
        return out;
    }

    /**
     * The class whose prompt is most cosine-similar to the projected feature {@code z}; {@code -1}
     * when {@code z} is zero. The prompts must already be unit length (the norm of {@code z} does not
     * change the argmax, so it is not divided out).
     */
    static int classify(float[] z, float[][] unitPrompts) {
        boolean zero = true;
        for (float v : z) {
            if (v != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            return -1;
        }
        int best = -1;
        double bestDot = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < unitPrompts.length; j++) {
            if (unitPrompts[j].length != z.length) {
                throw new IllegalArgumentException("prompt embedding " + j + " has size " + unitPrompts[j].length
                        + ", the projection gives " + z.length);
            }
            double dot = 0;
            for (int o = 0; o < z.length; o++) {
                dot += (double) z[o] * unitPrompts[j][o];
            }
            if (dot > bestDot) {
                bestDot = dot;
                best = j;
            }
        }
        return best;
    }
}
