package dev.runa.selfcheck;

import java.util.List;

/**
 * CLIP zero-shot classification as OpenAI's README computes it: both embeddings L2-normalised,
 * logits = scale * cosine, probabilities = softmax over the prompts. In double precision, so that
 * the only differences from a reference are those of the encoders.
 */
public final class ZeroShot {
    private ZeroShot() {}

    /**
     * @param image the projected image embedding (not normalised)
     * @param texts the projected text embeddings, one per prompt (not normalised)
     * @param scale the logit scale ({@code exp(logit_scale)} of the checkpoint, or 100)
     * @return the logits, one per prompt
     */
    public static double[] logits(float[] image, List<float[]> texts, double scale) {
        double in = norm(image);
        double[] out = new double[texts.size()];
        for (int t = 0; t < out.length; t++) {
            float[] e = texts.get(t);
            if (e.length != image.length) {
                throw new IllegalArgumentException(
                        "text embedding " + t + " has " + e.length + " values, the image's " + image.length);
            }
            double dot = 0;
            for (int i = 0; i < e.length; i++) {
                dot += (double) image[i] * e[i];
            }
            out[t] = scale * dot / (in * norm(e));
        }
        return out;
    }

    /** Softmax, shifted by the maximum so that no exponential overflows. */
    public static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double z : logits) {
            max = Math.max(max, z);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        if (!(s > 0)) {
            throw new IllegalArgumentException("embedding has zero length: cannot take a cosine");
        }
        return Math.sqrt(s);
    }
}
