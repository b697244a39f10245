package dev.runa.clip.graph;

/** How a transformer block's attention core (softmax(QK^T/sqrt(d)) V) is expressed in the graph. */
public enum AttentionKind {
    /** Standard ONNX ops (Reshape/Transpose/MatMul/Softmax): portable, and the numerical reference. */
    PLAIN,
    /**
     * ONNX Runtime's fused {@code com.microsoft:MultiHeadAttention} over the separately projected
     * q, k, v (the weights stay as the checkpoint stores them; no concatenated QKV copy needed).
     */
    FUSED,
    /**
     * ONNX Runtime's {@code com.microsoft:Attention}: the q, k, v projections as one [D, 3D] product
     * and the attention core in one kernel. Its weight is a concatenated, transposed copy of the
     * three checkpoint matrices, made once when the session is built (off-heap, 12 * D * D bytes
     * per layer: ~85 MB for ViT-B/16's vision tower).
     */
    ATTENTION
}
