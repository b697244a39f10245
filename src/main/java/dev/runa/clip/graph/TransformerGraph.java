package dev.runa.clip.graph;

import dev.runa.onnx.Attribute;
import dev.runa.onnx.GraphBuilder;

import java.util.List;

/**
 * The pre-LayerNorm transformer block shared by CLIP's two towers, emitted on activations kept
 * flat as [batch * sequence, width] so that every Linear is one 2-D {@code Gemm} with
 * {@code transB = 1}: PyTorch stores Linear weights as [out, in], and Gemm reads them in place
 * (no Transpose node, which ORT would constant-fold into a copy of every weight) with the bias
 * fused into the same kernel.
 */
final class TransformerGraph {
    /** QuickGELU's constant: x * sigmoid(1.702 x), as OpenAI's CLIP defines it. */
    static final float QUICK_GELU_ALPHA = 1.702f;

    private final GraphBuilder g;
    private final String prefix;
    private final int sequence;
    private final int width;
    private final int heads;
    private final int intermediate;
    private final double eps;
    private final AttentionKind attention;

    TransformerGraph(GraphBuilder g, String prefix, int sequence, int width, int heads, int intermediate, double eps,
                     AttentionKind attention) {
        this.g = g;
        this.prefix = prefix;
        this.sequence = sequence;
        this.width = width;
        this.heads = heads;
        this.intermediate = intermediate;
        this.eps = eps;
        this.attention = attention;
    }

    /** LayerNorm with HF's {@code NAME.weight}/{@code NAME.bias} parameters. */
    String layerNorm(String x, String name) {
        return g.layerNorm(x, g.weight(name + ".weight", width), g.weight(name + ".bias", width), eps);
    }

    /** A PyTorch Linear ([out, in] weight, optional bias) on flat [rows, in] activations. */
    String linear(String x, String name, int in, int out, boolean bias) {
        String w = g.weight(name + ".weight", out, in);
        String b = bias ? g.weight(name + ".bias", out) : null;
        return g.gemm(x, w, b, false, true);
    }

    /**
     * Runs all blocks on flat activations {@code x} [batch * sequence, width].
     *
     * @param mask additive [sequence, sequence] attention mask (causal text mask) or null
     */
    String encoder(String x, int layers, String mask) {
        String h = x;
        for (int i = 0; i < layers; i++) {
            h = block(h, prefix + ".encoder.layers." + i, mask);
        }
        return h;
    }

    private String block(String x, String p, String mask) {
        String ln1 = layerNorm(x, p + ".layer_norm1");
        String q = linear(ln1, p + ".self_attn.q_proj", width, width, true);
        String k = linear(ln1, p + ".self_attn.k_proj", width, width, true);
        String v = linear(ln1, p + ".self_attn.v_proj", width, width, true);
        String ctx = attention == AttentionKind.FUSED ? fusedAttention(q, k, v, mask) : plainAttention(q, k, v, mask);
        String h = g.add(x, linear(ctx, p + ".self_attn.out_proj", width, width, true));
        String ln2 = layerNorm(h, p + ".layer_norm2");
        String f = linear(ln2, p + ".mlp.fc1", width, intermediate, true);
        f = g.mul(f, g.sigmoid(g.mul(f, g.floatScalar("quick_gelu_alpha", QUICK_GELU_ALPHA))));
        return g.add(h, linear(f, p + ".mlp.fc2", intermediate, width, true));
    }

    private String plainAttention(String q, String k, String v, String mask) {
        int headDim = width / heads;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        String qh = g.transpose(g.reshape(g.mul(q, g.floatScalar("attn_scale", scale)), -1, sequence, heads, headDim), 0, 2, 1, 3);
        String kt = g.transpose(g.reshape(k, -1, sequence, heads, headDim), 0, 2, 3, 1);
        String vh = g.transpose(g.reshape(v, -1, sequence, heads, headDim), 0, 2, 1, 3);
        String scores = g.matMul(qh, kt);
        if (mask != null) {
            scores = g.add(scores, mask);
        }
        String ctx = g.matMul(g.softmax(scores, -1), vh);
        return g.reshape(g.transpose(ctx, 0, 2, 1, 3), -1, width);
    }

    private String fusedAttention(String q, String k, String v, String mask) {
        String q3 = g.reshape(q, -1, sequence, width);
        String k3 = g.reshape(k, -1, sequence, width);
        String v3 = g.reshape(v, -1, sequence, width);
        // Inputs: query, key, value, bias, key_padding_mask, attention_bias ([1, 1, S, S] broadcast).
        List<String> in = mask == null ? List.of(q3, k3, v3)
                : List.of(q3, k3, v3, "", "", g.reshape(mask, 1, 1, sequence, sequence));
        String ctx = g.op("MultiHeadAttention", GraphBuilder.MICROSOFT, in, Attribute.of("num_heads", (long) heads));
        return g.reshape(ctx, -1, width);
    }
}
