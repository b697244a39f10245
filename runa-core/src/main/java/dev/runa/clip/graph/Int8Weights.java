package dev.runa.clip.graph;

/**
 * The weight arithmetic of int8 inference, on plain arrays: per-output-channel symmetric
 * quantization of a PyTorch Linear weight, and SmoothQuant's per-input-channel smoothing scales.
 */
public final class Int8Weights {
    /** Largest quantized magnitude: symmetric [-127, 127], so that -128 never occurs and q = -q' stays exact. */
    public static final int Q_MAX = 127;

    private Int8Weights() {}

    /**
     * A quantized Linear weight, laid out for {@code com.microsoft:DynamicQuantizeMatMul}: values
     * {@code [in][out]} (B of A*B) and one scale per output channel; zero points are all 0.
     *
     * @param values row-major [in, out]: {@code values[k * out + n] = round(w[n][k] / scales[n])}
     * @param scales [out]
     */
    public record Quantized(byte[] values, float[] scales, int in, int out) {
        /** The real value {@code values * scale} of weight element [n][k] (PyTorch's [out, in] indexing). */
        public float dequantized(int n, int k) {
            return values[k * out + n] * scales[n];
        }
    }

    /**
     * Quantizes {@code w} (row-major [out][in], as PyTorch stores a Linear weight) per output channel:
     * {@code scale[n] = max_k |w[n][k]| / 127}, {@code q = clamp(round(w / scale), -127, 127)}.
     * An all-zero row gets scale 1 (any scale represents it exactly).
     */
    public static Quantized quantize(float[] w, int out, int in) {
        if (w.length != (long) out * in) {
            throw new IllegalArgumentException("weight has " + w.length + " values, expected " + out + " x " + in);
        }
        byte[] q = new byte[w.length];
        float[] scales = new float[out];
        for (int n = 0; n < out; n++) {
            float max = 0;
            for (int k = 0; k < in; k++) {
                max = Math.max(max, Math.abs(w[n * in + k]));
            }
            float scale = max > 0 ? max / Q_MAX : 1f;
            scales[n] = scale;
            for (int k = 0; k < in; k++) {
                int v = Math.round(w[n * in + k] / scale);
                q[k * out + n] = (byte) Math.max(-Q_MAX, Math.min(Q_MAX, v));
            }
        }
        return new Quantized(q, scales, in, out);
    }

    /** Largest |w[n][k]| over the output channels n, per input channel k of a row-major [out][in] weight. */
    public static float[] inputChannelMax(float[] w, int out, int in) {
        float[] max = new float[in];
        for (int n = 0; n < out; n++) {
            for (int k = 0; k < in; k++) {
                max[k] = Math.max(max[k], Math.abs(w[n * in + k]));
            }
        }
        return max;
    }

    /**
     * SmoothQuant's scales {@code s_j = max|X_j|^alpha / max|W_j|^(1 - alpha)}: dividing the
     * activations' channel j by s_j and multiplying the weight's input channel j by s_j leaves the
     * product unchanged while moving outliers from the activations (one scale per tensor at run
     * time) into the weights (one scale per output channel). Channels never active, or whose weights
     * are all zero, keep s = 1.
     *
     * @param activationMax max |X_j| over calibration tokens, per input channel
     * @param weightMax     max |W_j| per input channel ({@link #inputChannelMax})
     * @param alpha         migration strength in [0, 1]; 0.5 balances the two
     */
    public static float[] smoothingScales(float[] activationMax, float[] weightMax, double alpha) {
        if (activationMax.length != weightMax.length) {
            throw new IllegalArgumentException("smoothing: " + activationMax.length + " activation channels but "
                    + weightMax.length + " weight channels");
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("smoothing alpha must be in [0, 1], got " + alpha);
        }
        float[] s = new float[activationMax.length];
        for (int j = 0; j < s.length; j++) {
            double a = activationMax[j];
            double w = weightMax[j];
            double v = a > 0 && w > 0 ? Math.pow(a, alpha) / Math.pow(w, 1 - alpha) : 1.0;
            // Bounded so that neither side can under/overflow in float32.
            s[j] = (float) Math.max(1e-4, Math.min(1e4, v));
        }
        return s;
    }
}
