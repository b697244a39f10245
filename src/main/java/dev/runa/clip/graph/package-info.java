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
 */
package dev.runa.clip.graph;
