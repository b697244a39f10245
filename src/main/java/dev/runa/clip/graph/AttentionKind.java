package dev.runa.clip.graph;

/** How a transformer block's attention core (softmax(QK^T/sqrt(d)) V) is expressed in the graph. */
public enum AttentionKind {
    /** Standard ONNX ops (Reshape/Transpose/MatMul/Softmax): portable, and the numerical reference. */
    PLAIN,
    /**
     * ONNX Runtime's fused {@code com.microsoft:MultiHeadAttention} over the separately projected
     * q, k, v (the weights stay as the checkpoint stores them; no concatenated QKV copy needed).
     */
    FUSED
}
