package dev.runa.clip.graph;

/** How the int8 graph chooses the quantization scale of the activations entering each int8 product. */
public enum ActivationScales {
    /**
     * One scale (and zero point) per product and encoder run, over the whole batch
     * ({@code DynamicQuantizeMatMul}, {@code QAttention}): an image's features then depend on the
     * other images batched with it. Kept for comparison (bench/GraphSweep.java).
     */
    PER_RUN,
    /**
     * One scale per activation row (token), from that row's own min and max, with a fixed zero
     * point ({@code QuantizeLinear} along the rows + {@code MatMulIntegerToFloat} with a [rows, 1]
     * scale): an image's features are bit-identical whatever else is in the batch, and each token
     * keeps its own range (more accurate than one scale for all tokens).
     */
    PER_ROW
}
