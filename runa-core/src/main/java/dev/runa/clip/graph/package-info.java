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
 * <p>int8 ({@link GraphSpec.Int8Plan}): the QKV product and attention core run as one
 * {@code com.microsoft:QAttention} on input quantized per tensor by {@code DynamicQuantizeLinear};
 * out_proj, fc1 and fc2 run as {@code com.microsoft:DynamicQuantizeMatMul}. Weights are int8 per
 * output channel, quantized in Java when the session is built (about 4x smaller than fp32); the
 * patch embedding, LayerNorms and projection stay fp32. Activation outlier channels (real CLIP
 * models have them) are handled SmoothQuant-style: per-channel max |activation| from a few
 * calibration images ({@link ActivationStats}) gives scales folded into the preceding LayerNorm (QKV,
 * fc1) or into v_proj's output rows (out_proj); fc2's input cannot be smoothed without an extra Mul
 * and stays unsmoothed. Masked towers keep a quantized QKV product with {@code MultiHeadAttention},
 * as QAttention has no additive-mask input.
 *
 * <p>The measurements behind these choices, and how to repeat them, are in docs/performance.md
 * ("CLIP encoder").
 */
package dev.runa.clip.graph;
