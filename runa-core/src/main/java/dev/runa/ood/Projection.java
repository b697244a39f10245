package dev.runa.ood;

/**
 * A linear map (no bias) from the vision transformer's pooled feature to the joint embedding
 * space: CLIP's {@code visual_projection}, or a fine-tuned replacement from an adapter file.
 * Immutable and thread-safe.
 */
public final class Projection {
    private final float[] weight; // row-major [outDim, inDim], the Hugging Face Linear layout
    private final int outDim;
    private final int inDim;

    /**
     * @param weight row-major {@code [outDim, inDim]} (copied)
     */
    public Projection(float[] weight, int outDim, int inDim) {
        if ((long) outDim * inDim != weight.length) {
            throw new IllegalArgumentException(
                    "projection weight has " + weight.length + " values, expected " + outDim + " x " + inDim);
        }
        this.weight = weight.clone();
        this.outDim = outDim;
        this.inDim = inDim;
    }

    /** Size of the joint embedding. */
    public int outDim() {
        return outDim;
    }

    /** Size of the pooled feature. */
    public int inDim() {
        return inDim;
    }

    /** A copy of the weights, row-major {@code [outDim, inDim]}. */
    public float[] weight() {
        return weight.clone();
    }

    /** {@code P x}, not normalised. */
    public float[] apply(float[] x) {
        if (x.length != inDim) {
            throw new IllegalArgumentException("feature has size " + x.length + ", the projection expects " + inDim);
        }
        float[] y = new float[outDim];
        for (int o = 0; o < outDim; o++) {
            double acc = 0;
            int row = o * inDim;
            for (int i = 0; i < inDim; i++) {
                acc += (double) weight[row + i] * x[i];
            }
            y[o] = (float) acc;
        }
        return y;
    }

    /** {@code v / ||v||}; a zero vector stays zero rather than becoming NaN. */
    public static float[] normalize(float[] v) {
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        n = Math.sqrt(n);
        float[] out = new float[v.length];
        if (n == 0) {
            return out;
        }
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / n);
        }
        return out;
    }
}
