package dev.runa.ood;

/**
 * Computes every ID score of docs/method.md section 4 from an L2-normalised image embedding and the
 * L2-normalised text embeddings of the K ID prompts. Immutable and thread-safe.
 */
public final class IdScorer {
    /** CLIP's temperature 0.01, i.e. its logit scale 100. */
    public static final double CLIP_TEMPERATURE = 0.01;

    private final float[][] prompts;

    /**
     * @param promptEmbeddings K unit vectors of the joint space, one per ID class
     */
    public IdScorer(float[][] promptEmbeddings) {
        if (promptEmbeddings.length == 0) {
            throw new IllegalArgumentException("no ID prompts: the class list is empty");
        }
        int d = promptEmbeddings[0].length;
        this.prompts = new float[promptEmbeddings.length][];
        for (int i = 0; i < promptEmbeddings.length; i++) {
            if (promptEmbeddings[i].length != d) {
                throw new IllegalArgumentException(
                        "prompt embedding " + i + " has size " + promptEmbeddings[i].length + ", expected " + d);
            }
            prompts[i] = promptEmbeddings[i].clone();
        }
    }

    /** Number of ID classes. */
    public int classCount() {
        return prompts.length;
    }

    /** Embedding size expected by {@link #score(float[])}. */
    public int dimension() {
        return prompts[0].length;
    }

    /** Cosine similarities of a unit embedding to each prompt. */
    public double[] similarities(float[] unitEmbedding) {
        if (unitEmbedding.length != dimension()) {
            throw new IllegalArgumentException(
                    "embedding has size " + unitEmbedding.length + ", the prompts have " + dimension());
        }
        double[] s = new double[prompts.length];
        for (int i = 0; i < prompts.length; i++) {
            double acc = 0;
            float[] p = prompts[i];
            for (int j = 0; j < p.length; j++) {
                acc += (double) p[j] * unitEmbedding[j];
            }
            s[i] = acc;
        }
        return s;
    }

    /** All scores for one unit embedding. */
    public BoxScores score(float[] unitEmbedding) {
        return fromSimilarities(similarities(unitEmbedding));
    }

    /** All scores from precomputed similarities. */
    public static BoxScores fromSimilarities(double[] s) {
        int best = 0;
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            sum += s[i];
            if (s[i] > s[best]) {
                best = i;
            }
        }
        double max = s[best];
        return new BoxScores(
                max,
                maxSoftmax(s, max, 1.0),
                maxSoftmax(s, max, CLIP_TEMPERATURE),
                sum,
                CLIP_TEMPERATURE * logSumExp(s, max, CLIP_TEMPERATURE),
                best);
    }

    // max softmax(s/T) = 1 / sum_i exp((s_i - max)/T): shifting by the max keeps exp from overflowing at T = 0.01.
    private static double maxSoftmax(double[] s, double max, double t) {
        double z = 0;
        for (double v : s) {
            z += Math.exp((v - max) / t);
        }
        return 1.0 / z;
    }

    private static double logSumExp(double[] s, double max, double t) {
        double z = 0;
        for (double v : s) {
            z += Math.exp((v - max) / t);
        }
        return max / t + Math.log(z);
    }
}
