package dev.runa.clip.graph;

/**
 * What to emit for an encoder beyond its architecture.
 *
 * @param attention     attention formulation (for fp32; int8 always runs the QKV product and the
 *                      attention core as one {@code com.microsoft:QAttention}, or, in masked towers
 *                      which QAttention cannot serve, one quantized QKV product and
 *                      {@code MultiHeadAttention})
 * @param skipLayerNorm fuse each residual Add with the following LayerNorm into
 *                      {@code com.microsoft:SkipLayerNormalization}
 * @param int8          int8 plan for the vision blocks' Linear layers, or null for fp32
 * @param statistics    add per-layer max-|activation| outputs (for calibrating {@code int8}); fp32 only
 */
public record GraphSpec(AttentionKind attention, boolean skipLayerNorm, Int8Plan int8, boolean statistics) {
    public GraphSpec {
        if (attention == null) {
            throw new IllegalArgumentException("attention kind is required");
        }
        if (int8 != null && statistics) {
            throw new IllegalArgumentException("statistics outputs are collected from the fp32 graph");
        }
    }

    /** An fp32 graph with standard residual Adds (the form before these options existed). */
    public static GraphSpec fp32(AttentionKind attention) {
        return new GraphSpec(attention, false, null, false);
    }

    /**
     * How the blocks' Linear layers are quantized.
     *
     * @param stats       calibration statistics for SmoothQuant, or null to quantize unsmoothed
     * @param alpha       SmoothQuant migration strength (0.5 balances activations and weights)
     * @param quantizeFc2 whether fc2 runs int8 too (its input, the QuickGELU output, cannot be
     *                    smoothed without an extra Mul: no LayerNorm or linear op precedes it)
     * @param quantize    false: apply only the smoothing, in fp32 (a diagnostic that isolates the
     *                    quantization error; mathematically the unsmoothed model)
     */
    public record Int8Plan(ActivationStats stats, double alpha, boolean quantizeFc2, boolean quantize) {
        /** A plan that quantizes. */
        public Int8Plan(ActivationStats stats, double alpha, boolean quantizeFc2) {
            this(stats, alpha, quantizeFc2, true);
        }

        public Int8Plan {
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new IllegalArgumentException("smoothing alpha must be in [0, 1], got " + alpha);
            }
        }
    }
}
