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
 * <p>Later measurements (bench/GraphSweep.java: ViT-B/16, 2 threads, spin-waiting off, variants
 * interleaved in one process, best of 6 rounds; CPU-seconds per image and wall images/s, batch 1 /
 * batch 8): FUSED 0.24 / 0.231 (7.7 / 8.1 img/s); FUSED + SkipLayerNormalization 0.24 / 0.231;
 * ATTENTION (one [D, 3D] QKV product inside {@code com.microsoft:Attention}) 0.23 / 0.234;
 * ATTENTION + SkipLayerNormalization 0.25 / 0.220 (7.6 / 8.8 img/s), the default: ~5% at batch 8,
 * within noise at batch 1, for an extra ~85 MB (its fused QKV weight is a derived copy,
 * {@link DerivedWeight}: 12 * D * D bytes per layer, plus ORT's pre-packed copy of it). Runs under
 * heavier load from other processes ranked the fp32 variants differently by up to 20%: the fp32
 * graph is at the GEMM ceiling and the formulations differ little. ORT fuses QuickGELU itself
 * (there is no bias-GELU form to emit). {@code MultiHeadAttention}'s packed-QKV input
 * ([B, S, N, 3, H]) is not implemented on CPU in ORT 1.23.
 *
 * <p>int8 ({@link GraphSpec.Int8Plan}): every block Linear (QKV as one product, out_proj, fc1,
 * fc2) runs as {@code com.microsoft:DynamicQuantizeMatMul} with int8 weights [K, N] quantized per
 * output channel in Java when the session is built (~4x smaller than fp32: ~85 MB of int8 for
 * ViT-B/16's blocks instead of 340 MB), activations quantized per tensor at run time. The patch
 * embedding, LayerNorms and projection stay fp32. Activation outlier channels (real CLIP models
 * have them) are handled SmoothQuant-style: per-channel max |activation| from a few calibration
 * images ({@link ActivationStats}) gives scales s folded into the preceding LayerNorm (QKV, fc1)
 * or into v_proj's output rows (out_proj); fc2's input cannot be smoothed without an extra Mul and
 * stays unsmoothed. int8 ran at 0.08-0.10 / 0.085-0.09 CPU-seconds per image (17-21 img/s wall), ~2.7x
 * fp32; its profile at batch 8: DynamicQuantizeMatMul 60%, attention core 17%, QuickGELU 9%, Split
 * 5.5% (three separate q/k/v products instead measured the same; see below for QAttention). Measured pooled cosine vs fp32 (ViT-B/16 random weights, 4 images): 0.99991
 * plain, 0.99984 / 0.99967 with x10 / x30 LayerNorm-gain outliers (0.99934 / 0.99725 without
 * smoothing).
 *
 * <p>Profiled again with ORT's per-node trace ({@code -Druna.ort.profile=PREFIX}, bench/ProfileClip.java,
 * bench/ort_profile_summary.py): fp32 is Gemm ~67% + {@code Attention} (its QKV product and core)
 * ~28%, QuickGelu 2-4%, SkipLayerNormalization 1.5%, and every reshaping op (class-token
 * Expand/Concat/Gather, Reshape, Transpose) under 0.5% together: the fp32 graph has no overhead left
 * to remove besides arithmetic. Two changes followed. (1) The last block computes the class token
 * alone (keys and values over all rows, one query per image): exact, ~6% of the arithmetic, +9-11%
 * fp32 images/s. (2) int8 runs {@code DynamicQuantizeLinear} + {@code com.microsoft:QAttention} (int8
 * QKV product and attention core in one kernel) instead of {@code DynamicQuantizeMatMul} + Split +
 * {@code MultiHeadAttention}: the Split copy (~1.6 ms/image) and MultiHeadAttention's q/k/v re-layout
 * go, ~+10% at batch 1; masked towers keep the old path (QAttention has no additive-mask input).
 *
 * <p>Per-row activation scales ({@link dev.runa.clip.graph.ActivationScales#PER_ROW}, the default
 * since the service batches views of concurrent requests, which must not change each other's
 * results): both kernels above quantize activations with one scale per tensor, i.e. per encoder
 * run. Now every activation row (token) is quantized on its own: ReduceMax/ReduceMin along the row,
 * scale = max(max / (255 - z), -min / z) with a fixed zero point z (128 for LayerNorm outputs and the
 * attention context, 32 for the QuickGELU output, which is never below -0.17),
 * {@code QuantizeLinear} along axis 0, then {@code com.microsoft:MatMulIntegerToFloat} with a
 * [rows, 1] activation scale (ORT multiplies the product's rows by it after the u8 x s8 GEMM;
 * it would scale a bias too, so biases go elsewhere: q/k/v's into {@code MultiHeadAttention}'s bias
 * input, out_proj's and fc2's into {@code SkipLayerNormalization}'s, fc1's as an Add). q, k and v
 * are three products on the same quantized input (no Split copy). Every op then works per row or
 * per image, and an image's pooled features and embedding are bit-identical alone, at any batch
 * position and among any other images (tested; bench/BatchInvariance.java shows the same for
 * ViT-B/16 and for fp32). Measured per product (K 768, N 3072, 1576 rows, 2 threads): the per-row
 * product without its bias costs what {@code DynamicQuantizeMatMul} does (the row-wise scaling
 * and quantization replace its per-tensor ones), the separate fc1 bias Add ~30% of that product.
 * Whole graphs (bench/GraphSweep.java, int8rows+skipln vs int8qattn+skipln, ViT-B/16, 2 threads,
 * shared machine under load 8-20, CPU-seconds per image, median of rounds): batch 1 0.09 vs 0.09,
 * batch 8 0.106 vs 0.102 (0.121 vs 0.108 in a noisier run), batch 32 0.126 vs 0.114: per-row
 * costs 0-10% at batches >= 8, nothing at batch 1 (wall images/s at batch 1 came out higher).
 * Accuracy improves, since each token keeps its own range: pooled cosine vs fp32 on ViT-B/16
 * with trained-like LayerNorms ({@code random:vit-b-16-trained-ln}, 7 images, bench/Int8Accuracy.java)
 * 0.99983 per run, 0.99988 per row (0.99993 with fc2 in fp32: fc2's unsmoothable input is now the
 * largest error); with x30 LayerNorm outlier channels on top, 0.99824 per run (below the 0.999
 * bound: one scale for all tokens of a run) and 0.99934 per row (0.99769 per row unsmoothed);
 * default random LayerNorms 0.99989 and 0.99993. Small shapes (width 192-384, 6-12 blocks) do not
 * show the per-run loss (both >= 0.9998), so the tests bound the trained-LayerNorm case there and
 * the ViT-B/16 margin is measured by the harness.
 */
package dev.runa.clip.graph;
