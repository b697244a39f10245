package dev.runa.clip;

import dev.runa.clip.graph.AttentionKind;

/**
 * How an encoder runs on ONNX Runtime.
 *
 * @param intraOpThreads threads one inference may use (ORT intra-op pool)
 * @param attention      attention formulation in the graph
 * @param prepacking     let ORT pre-pack GEMM weights: faster, but a second copy of every weight
 *                       (about +330 MB for ViT-B/16's vision tower)
 */
public record EncoderOptions(int intraOpThreads, AttentionKind attention, boolean prepacking) {
    /** Threads used when none are given: the 2 cores of the reference machine. */
    public static final int DEFAULT_THREADS = 2;

    public EncoderOptions {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + intraOpThreads);
        }
        if (attention == null) {
            throw new IllegalArgumentException("attention kind is required");
        }
    }

    /** The defaults: {@value #DEFAULT_THREADS} threads, fused attention, pre-packing on. */
    public static EncoderOptions defaults() {
        return new EncoderOptions(DEFAULT_THREADS, AttentionKind.FUSED, true);
    }

    /** Same options with another thread count. */
    public EncoderOptions withThreads(int threads) {
        return new EncoderOptions(threads, attention, prepacking);
    }

    /** Same options with another attention formulation. */
    public EncoderOptions withAttention(AttentionKind kind) {
        return new EncoderOptions(intraOpThreads, kind, prepacking);
    }

    /** Same options with pre-packing on or off. */
    public EncoderOptions withPrepacking(boolean on) {
        return new EncoderOptions(intraOpThreads, attention, on);
    }
}
