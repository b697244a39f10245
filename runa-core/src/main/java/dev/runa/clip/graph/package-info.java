/**
 * Builds the ONNX graphs of CLIP's vision and text encoders from a configuration, with Hugging
 * Face weight names, dynamic batch dimension, and both the pooled (pre-projection) features and
 * the projected embeddings as outputs.
 *
 * <p>fp32: activations stay flat [batch * sequence, width] so that every Linear is one
 * {@code Gemm(transB = 1)} reading PyTorch's [out, in] weights in place with the bias fused (GEMM is
 * most of the run time, so speed is set by MLAS's SGEMM); the patch embedding is a Gemm over
 * patchified pixels rather than a Conv (ORT would re-layout a Conv weight, i.e. copy it). Attention
 * is {@code com.microsoft:Attention} with one [D, 3D] QKV product by default (its fused weight is a
 * derived copy, {@link DerivedWeight}), ORT's {@code MultiHeadAttention} or a plain-op formulation
 * (the portable reference) on request ({@link dev.runa.clip.graph.AttentionKind}); residual Adds may
 * be fused with the following LayerNorm ({@code SkipLayerNormalization}). ORT fuses QuickGELU
 * itself. The vision tower's last block computes the class token alone (keys and values over all
 * rows, one query per image): exact, and about 6% less arithmetic.
 *
 * <p>int8 ({@link GraphSpec.Int8Plan}): weights are int8 per output channel, quantized in Java
 * when the session is built (about 4x smaller than fp32); the patch embedding, LayerNorms and
 * projection stay fp32. Activations are quantized per row (token) by default
 * ({@link dev.runa.clip.graph.ActivationScales#PER_ROW}), because the service batches views of
 * concurrent requests, and one request must not change another's results: ReduceMax/ReduceMin along
 * the row, scale = max(max / (255 - z), -min / z) with a fixed zero point z (128 for LayerNorm
 * outputs and the attention context, 32 for the QuickGELU output, which is never below -0.17),
 * {@code QuantizeLinear} along axis 0, then {@code com.microsoft:MatMulIntegerToFloat} with a
 * [rows, 1] activation scale. ORT would scale a bias with the rows too, so biases go elsewhere:
 * q/k/v's into {@code MultiHeadAttention}'s bias input, out_proj's and fc2's into
 * {@code SkipLayerNormalization}'s, fc1's as an Add. q, k and v are three products on the same
 * quantized input (no Split copy). Every op then works per row or per image, so an image's
 * features are bit-identical alone, at any batch position and among any other images.
 * {@link dev.runa.clip.graph.ActivationScales#PER_RUN} keeps the former form (one scale per tensor:
 * {@code DynamicQuantizeLinear} + {@code com.microsoft:QAttention} for the QKV product and attention
 * core, {@code DynamicQuantizeMatMul} for the rest; masked towers a quantized QKV product with
 * {@code MultiHeadAttention}, as QAttention has no additive-mask input). Activation outlier channels
 * (real CLIP models have them) are handled SmoothQuant-style: per-channel max |activation| from a
 * few calibration images ({@link ActivationStats}) gives scales folded into the preceding LayerNorm
 * (QKV, fc1) or into v_proj's output rows (out_proj); fc2's input cannot be smoothed without an
 * extra Mul and stays unsmoothed.
 *
 * <p>The measurements behind these choices, and how to repeat them, are in docs/performance.md
 * ("CLIP encoder").
 */
package dev.runa.clip.graph;
