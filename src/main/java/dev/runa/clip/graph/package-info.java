/**
 * Builds the ONNX graphs of CLIP's vision and text encoders from a configuration, with Hugging
 * Face weight names, dynamic batch dimension, and both the pooled (pre-projection) features and
 * the projected embeddings as outputs.
 *
 * <p>Design, as measured with ORT 1.23 on the 2-core reference machine: activations stay flat
 * [batch * sequence, width] so that every Linear is one {@code Gemm(transB = 1)} reading PyTorch's
 * [out, in] weights in place with the bias fused (GEMM is ~80% of the run time, so speed is set by
 * MLAS's SGEMM); the patch embedding is a Gemm over patchified pixels rather than a Conv (ORT
 * would re-layout a Conv weight, i.e. copy it); attention uses ORT's fused
 * {@code com.microsoft:MultiHeadAttention} by default, which halved the attention core's share of
 * the profile (about 15% to 7.5% at batch 8), with a plain-op formulation kept as the portable
 * reference ({@link dev.runa.clip.graph.AttentionKind}).
 *
 * <p>Later measurements (CPU-seconds per image, ViT-B/16, 2 threads, spin-waiting off, best of 3
 * interleaved rounds on the loaded shared machine; batch 1 / batch 8):
 * FUSED 0.31 / 0.27, FUSED + SkipLayerNormalization 0.26 / 0.25, ATTENTION (one [D, 3D] QKV
 * product inside {@code com.microsoft:Attention}) 0.32 / 0.23, ATTENTION + SkipLayerNormalization
 * 0.31 / 0.22 (the default), int8 0.10 / 0.086. ORT already fuses QuickGELU itself (no BiasGelu
 * form exists for it). ATTENTION's fused QKV weight is a derived copy ({@link DerivedWeight}):
 * 12 * D * D bytes per layer, ~85 MB for ViT-B/16's vision tower (plus ORT's pre-packed copy).
 *
 * <p>int8 ({@link GraphSpec.Int8Plan}): every block Linear (QKV as one product, out_proj, fc1,
 * fc2) runs as {@code com.microsoft:DynamicQuantizeMatMul} with int8 weights [K, N] quantized per
 * output channel in Java when the session is built (~4x smaller than fp32: ~85 MB of int8 for
 * ViT-B/16's blocks instead of 340 MB), activations quantized per tensor at run time. The patch
 * embedding, LayerNorms and projection stay fp32. Activation outlier channels (real CLIP models
 * have them) are handled SmoothQuant-style: per-channel max |activation| from a few calibration
 * images ({@link ActivationStats}) gives scales s folded into the preceding LayerNorm (QKV, fc1)
 * or into v_proj's output rows (out_proj); fc2's input cannot be smoothed without an extra Mul and
 * stays unsmoothed. Measured pooled cosine vs fp32 (ViT-B/16 random weights, 4 images): 0.99991
 * plain, 0.99984 / 0.99967 with x10 / x30 LayerNorm-gain outliers (0.99934 / 0.99725 without
 * smoothing).
 */
package dev.runa.clip.graph;
