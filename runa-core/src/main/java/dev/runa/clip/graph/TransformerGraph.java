package dev.runa.clip.graph;

import dev.runa.clip.checkpoint.CheckpointException;
import dev.runa.clip.checkpoint.WeightSource;
import dev.runa.onnx.Attribute;
import dev.runa.onnx.Dim;
import dev.runa.onnx.ElementType;
import dev.runa.onnx.GraphBuilder;
import dev.runa.tensor.TensorView;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The pre-LayerNorm transformer block shared by CLIP's two towers, emitted on activations kept
 * flat as [batch * sequence, width] so that every Linear is one 2-D {@code Gemm} with
 * {@code transB = 1}: PyTorch stores Linear weights as [out, in], and Gemm reads them in place
 * (no Transpose node, which ORT would constant-fold into a copy of every weight) with the bias
 * fused into the same kernel.
 *
 * <p>Weights that must differ from the checkpoint's layout (the fused [D, 3D] QKV matrix of
 * {@link AttentionKind#ATTENTION}, int8 matrices, SmoothQuant-scaled LayerNorm parameters) are
 * declared here together with how to compute them ({@link DerivedWeight}).
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
    private final GraphSpec spec;
    private final Map<String, DerivedWeight> derived = new LinkedHashMap<>();
    private final List<String> statistics = new ArrayList<>();

    TransformerGraph(
            GraphBuilder g,
            String prefix,
            int sequence,
            int width,
            int heads,
            int intermediate,
            double eps,
            GraphSpec spec) {
        this.g = g;
        this.prefix = prefix;
        this.sequence = sequence;
        this.width = width;
        this.heads = heads;
        this.intermediate = intermediate;
        this.eps = eps;
        this.spec = spec;
    }

    Map<String, DerivedWeight> derived() {
        return derived;
    }

    List<String> statistics() {
        return statistics;
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
        return encoder(x, layers, mask, false);
    }

    /**
     * Like {@link #encoder(String, int, String)}; with {@code firstTokenOnly} the last block
     * computes only each sequence's first row and the result is [batch, width]. That row (a ViT's
     * class token) depends on the other rows only through the last attention's keys and values, so
     * the last block's query, attention core, out_proj, LayerNorm and MLP run on one row per
     * image instead of {@code sequence}: exact, and ~6% of ViT-B/16's arithmetic saved.
     */
    String encoder(String x, int layers, String mask, boolean firstTokenOnly) {
        String residual = x;
        String normed = g.layerNorm(x, lnGain(0, 1), lnBias(0, 1), eps);
        for (int i = 0; i < layers; i++) {
            String p = layerPrefix(i);
            record(normed, i, "ln1");
            boolean last = firstTokenOnly && i == layers - 1;
            if (last && mask != null) {
                throw new IllegalArgumentException("first-token-only encoding takes no attention mask");
            }
            Product attn;
            if (perRow()) {
                attn = rowQuantizedAttention(normed, i, mask, last);
                if (last) {
                    residual = firstTokens(residual);
                }
            } else if (last) {
                residual = firstTokens(residual);
                attn = new Product(firstTokenAttention(normed, i), null);
            } else {
                attn = new Product(attention(normed, i, mask), null);
            }
            String[] r = addAndNorm(residual, attn, i, 2);
            residual = r[0];
            normed = r[1];
            record(normed, i, "ln2");
            String f = mlpIn(normed, i);
            f = g.mul(f, g.sigmoid(g.mul(f, g.floatScalar("quick_gelu_alpha", QUICK_GELU_ALPHA))));
            record(f, i, "mlp");
            Product mlp = mlpOut(f, p + ".mlp.fc2");
            if (i + 1 < layers) {
                r = addAndNorm(residual, mlp, i + 1, 1);
                residual = r[0];
                normed = r[1];
            } else {
                residual = g.add(residual, mlp.withBias(g));
            }
        }
        return residual;
    }

    /**
     * A block's output before the residual Add: {@code value + bias}, with the bias left separate
     * (or null when already in {@code value}) so that {@code SkipLayerNormalization} adds it in the
     * same pass as the residual: per-row int8 products cannot take their bias themselves.
     */
    private record Product(String value, String bias) {
        String withBias(GraphBuilder g) {
            return bias == null ? value : g.add(value, bias);
        }
    }

    private boolean perRow() {
        return spec.int8() != null && spec.int8().quantize() && spec.int8().scales() == ActivationScales.PER_ROW;
    }

    private Product mlpOut(String f, String name) {
        if (spec.int8() == null || !spec.int8().quantizeFc2()) {
            return new Product(linear(f, name, intermediate, width, true), null);
        }
        if (perRow()) {
            String y = rowProduct(
                    quantizeRows(f, GELU_ZERO_POINT),
                    name,
                    intermediate,
                    width,
                    src -> read(src, name + ".weight", width * intermediate));
            return new Product(y, g.weight(name + ".bias", width));
        }
        return new Product(quantizedLinear(f, name, intermediate, width, null), null);
    }

    private String layerPrefix(int layer) {
        return prefix + ".encoder.layers." + layer;
    }

    /** {residual + delta, LayerNorm(residual + delta)} with block {@code layer}'s layer_norm{which}. */
    private String[] addAndNorm(String residual, Product delta, int layer, int which) {
        String gain = lnGain(layer, which);
        String bias = lnBias(layer, which);
        if (spec.skipLayerNorm()) {
            // Inputs: input, skip, gamma, beta, bias (added in the same pass).
            // Outputs: output, mean, inv_std_var, input_skip_bias_sum (the new residual stream).
            List<String> in = delta.bias() == null
                    ? List.of(delta.value(), residual, gain, bias)
                    : List.of(delta.value(), residual, gain, bias, delta.bias());
            List<String> out = g.opMulti(
                    "SkipLayerNormalization", GraphBuilder.MICROSOFT, in, 4, Attribute.of("epsilon", (float) eps));
            return new String[] {out.get(3), out.get(0)};
        }
        String sum = g.add(residual, delta.withBias(g));
        return new String[] {sum, g.layerNorm(sum, gain, bias, eps)};
    }

    /** Adds a per-channel max |x| output over all rows, for calibration. */
    private void record(String x, int layer, String what) {
        if (spec.statistics()) {
            String name = ActivationStats.outputName(what, layer);
            statistics.add(g.identity(g.reduceMax(g.abs(x), 0), name));
            g.output(name, ElementType.FLOAT, Dim.of(what.equals("mlp") ? intermediate : width));
        }
    }

    // ---- LayerNorm parameters, SmoothQuant-divided when the following product is int8 --------

    private String lnGain(int layer, int which) {
        return lnParameter(layer, which, "weight");
    }

    private String lnBias(int layer, int which) {
        return lnParameter(layer, which, "bias");
    }

    private String lnParameter(int layer, int which, String kind) {
        String name = layerPrefix(layer) + ".layer_norm" + which + "." + kind;
        float[] s = smoothing(layer, which == 1 ? Site.QKV : Site.FC1);
        if (s == null) {
            return g.weight(name, width);
        }
        String smoothed = name + ".smoothed";
        derived.put(smoothed, new DerivedWeight(ElementType.FLOAT, new long[] {width}, w -> {
            resolveSmoothing(w);
            float[] v = read(w, name, width);
            for (int j = 0; j < width; j++) {
                v[j] /= s[j];
            }
            return floats(v);
        }));
        return g.weight(smoothed, ElementType.FLOAT, width);
    }

    private enum Site {
        QKV,
        OUT,
        FC1
    }

    /**
     * SmoothQuant scales for the input of a quantized product, or null when there is no smoothing.
     * Computed lazily from the weights (at session build); memoised per site.
     */
    private final Map<String, float[]> smoothingMemo = new LinkedHashMap<>();

    private boolean smoothingResolved;

    private float[] smoothing(int layer, Site site) {
        GraphSpec.Int8Plan plan = spec.int8();
        if (plan == null || plan.stats() == null) {
            return null;
        }
        // The scales depend on weights, which are only available at session build; declare a
        // placeholder array filled by resolveSmoothing(w) before any derived weight reads it.
        return smoothingMemo.computeIfAbsent(site + "_" + layer, k -> new float[width]);
    }

    /** Fills the smoothing scales of every quantized site from the weights; idempotent. */
    private void resolveSmoothing(WeightSource w) {
        if (smoothingResolved) {
            return;
        }
        smoothingResolved = true;
        GraphSpec.Int8Plan plan = spec.int8();
        for (Map.Entry<String, float[]> e : smoothingMemo.entrySet()) {
            String[] parts = e.getKey().split("_");
            Site site = Site.valueOf(parts[0]);
            int layer = Integer.parseInt(parts[1]);
            String p = layerPrefix(layer);
            float[] act;
            float[] wmax;
            switch (site) {
                case QKV -> {
                    act = plan.stats().ln1(layer);
                    float[] q = Int8Weights.inputChannelMax(
                            read(w, p + ".self_attn.q_proj.weight", width * width), width, width);
                    float[] k = Int8Weights.inputChannelMax(
                            read(w, p + ".self_attn.k_proj.weight", width * width), width, width);
                    float[] v = Int8Weights.inputChannelMax(
                            read(w, p + ".self_attn.v_proj.weight", width * width), width, width);
                    wmax = new float[width];
                    for (int j = 0; j < width; j++) {
                        wmax[j] = Math.max(q[j], Math.max(k[j], v[j]));
                    }
                }
                case OUT -> {
                    act = plan.stats().ctx(layer);
                    wmax = Int8Weights.inputChannelMax(
                            read(w, p + ".self_attn.out_proj.weight", width * width), width, width);
                }
                default -> {
                    act = plan.stats().ln2(layer);
                    wmax = Int8Weights.inputChannelMax(
                            read(w, p + ".mlp.fc1.weight", intermediate * width), intermediate, width);
                }
            }
            System.arraycopy(Int8Weights.smoothingScales(act, wmax, plan.alpha()), 0, e.getValue(), 0, width);
        }
    }

    // ---- attention ------------------------------------------------------------------------------

    private String attention(String x, int layer, String mask) {
        String p = layerPrefix(layer) + ".self_attn";
        String ctx;
        if (spec.int8() != null) {
            float[] sIn = smoothing(layer, Site.QKV);
            float[] sOut = smoothing(layer, Site.OUT);
            if (spec.attention() == AttentionKind.ATTENTION && spec.int8().quantize() && mask == null) {
                // com.microsoft:QAttention: the int8 QKV product and the attention core in one
                // kernel, on the input quantized per tensor (uint8, as DynamicQuantizeMatMul does
                // internally); saves the Split copy and MultiHeadAttention's re-layout of q/k/v.
                ctx = quantizedAttention(x, p, sIn, sOut, mask);
                record(ctx, layer, "ctx");
                return quantizedLinear(ctx, p + ".out_proj", width, width, sOut);
            }
            // One quantized product for q, k and v, split, then the fused attention core.
            String qkv = quantizedQkv(x, p, sIn, sOut);
            List<String> parts = g.split(qkv, 1, 3);
            ctx = fusedAttention(parts.get(0), parts.get(1), parts.get(2), mask);
            record(ctx, layer, "ctx");
            return quantizedLinear(ctx, p + ".out_proj", width, width, sOut);
        }
        if (spec.attention() == AttentionKind.ATTENTION) {
            ctx = packedAttention(x, p, mask);
        } else {
            String q = linear(x, p + ".q_proj", width, width, true);
            String k = linear(x, p + ".k_proj", width, width, true);
            String v = linear(x, p + ".v_proj", width, width, true);
            ctx = spec.attention() == AttentionKind.FUSED
                    ? fusedAttention(q, k, v, mask)
                    : plainAttention(q, k, v, mask);
        }
        record(ctx, layer, "ctx");
        return linear(ctx, p + ".out_proj", width, width, true);
    }

    /** Row 0 of every sequence of flat [batch * sequence, width] {@code x}: [batch, width]. */
    private String firstTokens(String x) {
        return firstTokens(x, width);
    }

    /** Row 0 of every sequence of flat [batch * sequence, columns] {@code x}: [batch, columns]. */
    private String firstTokens(String x, int columns) {
        return g.gather(g.reshape(x, -1, sequence, columns), g.int64Scalar("first_token", 0), 1);
    }

    /**
     * Self-attention output for each sequence's first row only ([batch, width]): keys and values
     * from all rows of {@code x}, the query from the first row.
     */
    private String firstTokenAttention(String x, int layer) {
        String p = layerPrefix(layer) + ".self_attn";
        String ctx;
        if (spec.int8() != null) {
            // The int8 QKV product over all rows (q's extra rows are cheap at int8), then one query per image.
            float[] sOut = smoothing(layer, Site.OUT);
            List<String> parts = g.split(quantizedQkv(x, p, smoothing(layer, Site.QKV), sOut), 1, 3);
            ctx = fusedAttention(firstTokens(parts.get(0)), parts.get(1), parts.get(2), null, 1);
            record(ctx, layer, "ctx");
            return quantizedLinear(ctx, p + ".out_proj", width, width, sOut);
        }
        // The checkpoint's separate q/k/v weights, read in place (no fused copy for this layer).
        String q = linear(firstTokens(x), p + ".q_proj", width, width, true);
        String k = linear(x, p + ".k_proj", width, width, true);
        String v = linear(x, p + ".v_proj", width, width, true);
        ctx = spec.attention() == AttentionKind.PLAIN
                ? plainAttention(q, k, v, null, 1)
                : fusedAttention(q, k, v, null, 1);
        record(ctx, layer, "ctx");
        return linear(ctx, p + ".out_proj", width, width, true);
    }

    private String plainAttention(String q, String k, String v, String mask) {
        return plainAttention(q, k, v, mask, sequence);
    }

    /** Plain-op attention of {@code queries} query rows per sequence against {@code sequence} key rows. */
    private String plainAttention(String q, String k, String v, String mask, int queries) {
        int headDim = width / heads;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        String qh = g.transpose(
                g.reshape(g.mul(q, g.floatScalar("attn_scale", scale)), -1, queries, heads, headDim), 0, 2, 1, 3);
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
        return fusedAttention(q, k, v, mask, sequence);
    }

    private String fusedAttention(String q, String k, String v, String mask, int queries) {
        return fusedAttention(q, k, v, null, mask, queries);
    }

    /**
     * {@code MultiHeadAttention} of {@code queries} query rows per sequence against {@code sequence}
     * key rows; {@code bias} ([3 * width]: q, k, v biases) is added inside the kernel, or null.
     */
    private String fusedAttention(String q, String k, String v, String bias, String mask, int queries) {
        String q3 = g.reshape(q, -1, queries, width);
        String k3 = g.reshape(k, -1, sequence, width);
        String v3 = g.reshape(v, -1, sequence, width);
        // Inputs: query, key, value, bias, key_padding_mask, attention_bias ([1, 1, S, S] broadcast).
        List<String> in = new ArrayList<>(List.of(q3, k3, v3));
        if (bias != null || mask != null) {
            in.add(bias == null ? "" : bias);
        }
        if (mask != null) {
            in.add("");
            in.add(g.reshape(mask, 1, 1, sequence, sequence));
        }
        String ctx = g.op("MultiHeadAttention", GraphBuilder.MICROSOFT, in, Attribute.of("num_heads", (long) heads));
        return g.reshape(ctx, -1, width);
    }

    /**
     * {@code com.microsoft:Attention}: the QKV projection (one [D, 3D] product) and the attention
     * core in one kernel. Its weight is the three checkpoint matrices transposed and concatenated,
     * a derived copy (4 * 3 * D * D bytes per layer).
     */
    private String packedAttention(String x, String p, String mask) {
        String w = p + ".qkv.weight";
        String b = p + ".qkv.bias";
        derived.put(w, new DerivedWeight(ElementType.FLOAT, new long[] {width, 3L * width}, src -> {
            float[] t = new float[3 * width * width];
            for (int m = 0; m < 3; m++) {
                float[] part = read(src, p + "." + QKV[m] + ".weight", width * width); // [out][in]
                for (int n = 0; n < width; n++) {
                    for (int k = 0; k < width; k++) {
                        t[k * 3 * width + m * width + n] = part[n * width + k];
                    }
                }
            }
            return floats(t);
        }));
        derived.put(
                b, new DerivedWeight(ElementType.FLOAT, new long[] {3L * width}, src -> floats(qkvBias(src, p, null))));
        String x3 = g.reshape(x, -1, sequence, width);
        // Inputs: input, weights, bias, mask_index, past, attention_bias ([1, 1, S, S] broadcast).
        List<String> in = mask == null
                ? List.of(x3, g.weight(w, width, 3L * width), g.weight(b, 3L * width))
                : List.of(
                        x3,
                        g.weight(w, width, 3L * width),
                        g.weight(b, 3L * width),
                        "",
                        "",
                        g.reshape(mask, 1, 1, sequence, sequence));
        String ctx = g.op("Attention", GraphBuilder.MICROSOFT, in, Attribute.of("num_heads", (long) heads));
        return g.reshape(ctx, -1, width);
    }

    private static final String[] QKV = {"q_proj", "k_proj", "v_proj"};

    private float[] qkvBias(WeightSource src, String p, float[] vDivisor) {
        float[] bias = new float[3 * width];
        for (int m = 0; m < 3; m++) {
            float[] part = read(src, p + "." + QKV[m] + ".bias", width);
            for (int n = 0; n < width; n++) {
                bias[m * width + n] = m == 2 && vDivisor != null ? part[n] / vDivisor[n] : part[n];
            }
        }
        return bias;
    }

    // ---- int8 ----------------------------------------------------------------------------------

    /**
     * q, k, v as one int8 product [rows, 3D]. Smoothing: input channel k times {@code sIn[k]}
     * (the LayerNorm output was divided by it); v's output channel n (and bias) divided by
     * {@code sOut[n]}, which out_proj's input channel n multiplies back (attention mixes rows of v
     * linearly, so this is exact).
     */
    private String quantizedQkv(String x, String p, float[] sIn, float[] sOut) {
        return declareQuantized(x, p + ".qkv", width, 3 * width, qkvWeight(p, sIn, sOut), qkvBias(p, sOut));
    }

    /**
     * {@code com.microsoft:QAttention} over the same int8 [D, 3D] QKV weight, per-column scales
     * and zero points as {@link #quantizedQkv}, its input quantized by {@code DynamicQuantizeLinear}.
     */
    private String quantizedAttention(String x, String p, float[] sIn, float[] sOut, String mask) {
        String[] q = declareQuantizedParts(p + ".qkv", width, 3 * width, qkvWeight(p, sIn, sOut), qkvBias(p, sOut));
        // Outputs: y (uint8), y_scale, y_zero_point.
        List<String> xq = g.opMulti("DynamicQuantizeLinear", "", List.of(g.reshape(x, -1, sequence, width)), 3);
        // Inputs: input, weight, bias, input_scale, weight_scale, mask_index, input_zero_point,
        // weight_zero_point, past (no additive-mask input: masked towers take the MultiHeadAttention path).
        String ctx = g.op(
                "QAttention",
                GraphBuilder.MICROSOFT,
                List.of(xq.get(0), q[0], q[3], xq.get(1), q[1], "", xq.get(2), q[2]),
                Attribute.of("num_heads", (long) heads));
        return g.reshape(ctx, -1, width);
    }

    /** The smoothed QKV weight [3D out][D in] of {@link #quantizedQkv}, computed from the checkpoint. */
    private Function<WeightSource, float[]> qkvWeight(String p, float[] sIn, float[] sOut) {
        return src -> {
            resolveSmoothing(src);
            float[] w = new float[3 * width * width]; // [3D out][D in]
            for (int m = 0; m < 3; m++) {
                float[] part = read(src, p + "." + QKV[m] + ".weight", width * width);
                for (int n = 0; n < width; n++) {
                    for (int k = 0; k < width; k++) {
                        float v = part[n * width + k];
                        if (sIn != null) {
                            v *= sIn[k];
                        }
                        if (m == 2 && sOut != null) {
                            v /= sOut[n];
                        }
                        w[(m * width + n) * width + k] = v;
                    }
                }
            }
            return w;
        };
    }

    private Function<WeightSource, float[]> qkvBias(String p, float[] sOut) {
        return src -> {
            resolveSmoothing(src);
            return qkvBias(src, p, sOut);
        };
    }

    /** A Linear as {@code DynamicQuantizeMatMul}; input channel k of the weight times {@code sIn[k]} when smoothed. */
    private String quantizedLinear(String x, String name, int in, int out, float[] sIn) {
        return declareQuantized(
                x, name, in, out, smoothedWeight(name, in, out, sIn), src -> read(src, name + ".bias", out));
    }

    private String mlpIn(String x, int layer) {
        String name = layerPrefix(layer) + ".mlp.fc1";
        if (spec.int8() == null) {
            return linear(x, name, width, intermediate, true);
        }
        float[] s = smoothing(layer, Site.FC1);
        if (perRow()) {
            String y = rowProduct(
                    quantizeRows(x, SIGNED_ZERO_POINT),
                    name,
                    width,
                    intermediate,
                    smoothedWeight(name, width, intermediate, s));
            return g.add(y, g.weight(name + ".bias", intermediate));
        }
        return quantizedLinear(x, name, width, intermediate, s);
    }

    // ---- int8 with per-row activation scales ----------------------------------------------------

    /**
     * Zero point of activations that are roughly symmetric around 0 (LayerNorm outputs, the
     * attention context): the row's scale is then max(max / 127, -min / 128).
     */
    static final int SIGNED_ZERO_POINT = 128;
    /**
     * Zero point of the QuickGELU output (fc2's input), which is never below -0.17 (the minimum of
     * x * sigmoid(1.702 x)) while its maximum is typically several units: 32 codes below zero
     * resolve that tail as finely as the 223 above it resolve a row maximum of ~1.2, and beyond
     * that give the positive side almost the full 8 bits (symmetric codes would waste half of them).
     */
    static final int GELU_ZERO_POINT = 32;

    /** Row-quantized activations: uint8 values [rows, K], their per-row scale [rows, 1] and the common zero point. */
    private record RowQuantized(String values, String scale, String zeroPoint) {}

    /**
     * {@code x} [rows, K] quantized per row with zero point {@code zero}: scale_r =
     * max(max_r / (255 - zero), -min_r / zero) (never 0), values = saturate(round(x / scale_r) + zero).
     * Every row's codes depend on that row alone, which makes the encoder's results independent of
     * the batch.
     *
     * <p>The division is its own {@code Div} node followed by a per-tensor {@code QuantizeLinear}
     * with scale 1, not one {@code QuantizeLinear} along axis 0: ORT 1.23 runs the per-axis form one
     * row at a time on one thread (18% of the int8 encoder at 16 threads, as slow as at 2), while
     * {@code Div} and the per-tensor form use the thread pool. The codes are the same bits: MLAS
     * quantizes as round(x / scale) + zero, and x / 1 is x.
     */
    private RowQuantized quantizeRows(String x, int zero) {
        String max = g.reduceMaxKeepDims(x, 1);
        String min = g.reduceMinKeepDims(x, 1);
        String scale = g.max(
                g.mul(max, g.floatScalar("inv_positive_codes", 1f / (255 - zero))),
                g.mul(min, g.floatScalar("neg_inv_negative_codes", -1f / zero)),
                g.floatScalar("min_scale", Float.MIN_NORMAL));
        String zeroPoint = zeroPoints.computeIfAbsent(zero, z -> g.uint8Scalar("zero_point", z));
        String q = g.op("QuantizeLinear", "", List.of(g.div(x, scale), one(), zeroPoint));
        return new RowQuantized(q, scale, zeroPoint);
    }

    private final Map<Integer, String> zeroPoints = new LinkedHashMap<>();
    private String one;

    /** The float 1, declared once. */
    private String one() {
        if (one == null) {
            one = g.floatScalar("one", 1f);
        }
        return one;
    }

    /** The first token's rows of row-quantized {@code x} ([batch, K] values, [batch, 1] scales). */
    private RowQuantized firstTokens(RowQuantized x, int columns) {
        return new RowQuantized(firstTokens(x.values(), columns), firstTokens(x.scale(), 1), x.zeroPoint());
    }

    /**
     * {@code xq * W^T} in fp32 without bias ([rows, out]): an int8 GEMM (u8 x s8) by
     * {@code com.microsoft:MatMulIntegerToFloat}, scaled per output channel by the weight's scale
     * inside it, then per row by the activation's [rows, 1] scale in a {@code Mul}. Given the row
     * scale itself, ORT 1.23 applies that same multiply after the GEMM on one thread (the product
     * ran only 3.2x faster on 16 threads than on 2); {@code Mul} uses the thread pool. The results are the same
     * bits: with a non-scalar activation scale ORT runs the GEMM with activation scale 1, as here.
     * No bias: ORT would scale it by the row scale too.
     */
    private String rowProduct(RowQuantized xq, String name, int in, int out, Function<WeightSource, float[]> weight) {
        String[] w = declareInt8(name, in, out, weight);
        String y = g.op(
                "MatMulIntegerToFloat",
                GraphBuilder.MICROSOFT,
                List.of(xq.values(), w[0], one(), w[1], xq.zeroPoint()));
        return g.mul(y, xq.scale());
    }

    /** A Linear weight [out][in] from the checkpoint, input channel k times {@code sIn[k]} when smoothed. */
    private Function<WeightSource, float[]> smoothedWeight(String name, int in, int out, float[] sIn) {
        return src -> {
            resolveSmoothing(src);
            float[] w = read(src, name + ".weight", out * in);
            if (sIn != null) {
                for (int n = 0; n < out; n++) {
                    for (int k = 0; k < in; k++) {
                        w[n * in + k] *= sIn[k];
                    }
                }
            }
            return w;
        };
    }

    /**
     * Self-attention with per-row int8 products: q, k, v as three products on the same quantized
     * input (no Split copy), their biases added inside {@code MultiHeadAttention}, then out_proj.
     * With {@code firstTokenOnly} only each sequence's first row is queried (the last ViT block).
     */
    private Product rowQuantizedAttention(String x, int layer, String mask, boolean firstTokenOnly) {
        String p = layerPrefix(layer) + ".self_attn";
        float[] sIn = smoothing(layer, Site.QKV);
        float[] sOut = smoothing(layer, Site.OUT);
        RowQuantized xq = quantizeRows(x, SIGNED_ZERO_POINT);
        String[] qkv = new String[3];
        for (int m = 0; m < 3; m++) {
            RowQuantized in = m == 0 && firstTokenOnly ? firstTokens(xq, width) : xq;
            qkv[m] = rowProduct(in, p + "." + QKV[m], width, width, qkvPartWeight(p, m, sIn, sOut));
        }
        String bias = p + ".qkv.bias.fp32";
        derived.put(bias, new DerivedWeight(ElementType.FLOAT, new long[] {3L * width}, src -> {
            resolveSmoothing(src);
            return floats(qkvBias(src, p, sOut));
        }));
        String ctx =
                fusedAttention(qkv[0], qkv[1], qkv[2], g.weight(bias, 3L * width), mask, firstTokenOnly ? 1 : sequence);
        record(ctx, layer, "ctx");
        String out = rowProduct(
                quantizeRows(ctx, SIGNED_ZERO_POINT),
                p + ".out_proj",
                width,
                width,
                smoothedWeight(p + ".out_proj", width, width, sOut));
        return new Product(out, g.weight(p + ".out_proj.bias", width));
    }

    /** Part {@code m} (q, k or v) of {@link #qkvWeight}: [D out][D in]. */
    private Function<WeightSource, float[]> qkvPartWeight(String p, int m, float[] sIn, float[] sOut) {
        return src -> {
            resolveSmoothing(src);
            float[] w = read(src, p + "." + QKV[m] + ".weight", width * width);
            for (int n = 0; n < width; n++) {
                for (int k = 0; k < width; k++) {
                    if (sIn != null) {
                        w[n * width + k] *= sIn[k];
                    }
                    if (m == 2 && sOut != null) {
                        w[n * width + k] /= sOut[n];
                    }
                }
            }
            return w;
        };
    }

    /**
     * Declares the int8 weight [in, out], its per-channel scales and zero points and the fp32
     * bias, all derived from one quantization (memoised: the three tensors are built one after the
     * other at session build).
     */
    private String declareQuantized(
            String x,
            String name,
            int in,
            int out,
            Function<WeightSource, float[]> weight,
            Function<WeightSource, float[]> bias) {
        if (!spec.int8().quantize()) {
            // Smoothing alone, in fp32: the same Gemm as an unsmoothed Linear, on derived weights.
            String w = name + ".weight.smoothed";
            String b = name + ".bias.smoothed";
            derived.put(
                    w, new DerivedWeight(ElementType.FLOAT, new long[] {out, in}, src -> floats(weight.apply(src))));
            derived.put(b, new DerivedWeight(ElementType.FLOAT, new long[] {out}, src -> floats(bias.apply(src))));
            return g.gemm(x, g.weight(w, out, in), g.weight(b, out), false, true);
        }
        return dynamicQuantizeMatMul(x, declareQuantizedParts(name, in, out, weight, bias));
    }

    private String dynamicQuantizeMatMul(String x, String[] parts) {
        return g.op(
                "DynamicQuantizeMatMul", GraphBuilder.MICROSOFT, List.of(x, parts[0], parts[1], parts[2], parts[3]));
    }

    /** Declares {weight int8 [in, out], scale [out], zero point [out], bias fp32 [out]}; returns their graph names. */
    private String[] declareQuantizedParts(
            String name,
            int in,
            int out,
            Function<WeightSource, float[]> weight,
            Function<WeightSource, float[]> bias) {
        String[] w = declareInt8(name, in, out, weight);
        String zero = name + ".weight.zero_point";
        String b = name + ".bias.fp32";
        derived.put(zero, new DerivedWeight(ElementType.INT8, new long[] {out}, src -> bytes(new byte[out])));
        derived.put(b, new DerivedWeight(ElementType.FLOAT, new long[] {out}, src -> floats(bias.apply(src))));
        return new String[] {w[0], w[1], g.weight(zero, ElementType.INT8, out), g.weight(b, ElementType.FLOAT, out)};
    }

    /** Declares {weight int8 [in, out], scale [out]} (zero points 0); returns their graph names. */
    private String[] declareInt8(String name, int in, int out, Function<WeightSource, float[]> weight) {
        Int8Weights.Quantized[] memo = new Int8Weights.Quantized[1];
        Function<WeightSource, Int8Weights.Quantized> once = src -> {
            if (memo[0] == null) {
                memo[0] = Int8Weights.quantize(weight.apply(src), out, in);
            }
            return memo[0];
        };
        String wq = name + ".weight.int8";
        String scale = name + ".weight.scale";
        derived.put(
                wq,
                new DerivedWeight(
                        ElementType.INT8,
                        new long[] {in, out},
                        src -> bytes(once.apply(src).values())));
        derived.put(scale, new DerivedWeight(ElementType.FLOAT, new long[] {out}, src -> {
            ByteBuffer r = floats(once.apply(src).scales());
            memo[0] = null; // the scales are built last of the matrix's parts: free the heap copy
            return r;
        }));
        return new String[] {g.weight(wq, ElementType.INT8, in, out), g.weight(scale, ElementType.FLOAT, out)};
    }

    // ---- buffers -------------------------------------------------------------------------------

    /** A checkpoint tensor copied to the heap as float32 (transient, while a derived weight is built). */
    static float[] read(WeightSource w, String name, int expected) {
        if (!w.contains(name)) {
            throw new CheckpointException(w.description() + ": missing tensor '" + name + "'");
        }
        TensorView t = w.tensor(name);
        if (t.numel() != expected || !t.dtype().isFloatingPoint()) {
            throw new CheckpointException(w.description() + ": tensor '" + name + "' has " + t.numel() + " " + t.dtype()
                    + " values, expected " + expected + " floats");
        }
        FloatBuffer f = t.asFloats();
        float[] a = new float[expected];
        f.get(a);
        return a;
    }

    static ByteBuffer floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.nativeOrder());
        b.asFloatBuffer().put(v);
        return b;
    }

    static ByteBuffer bytes(byte[] v) {
        ByteBuffer b = ByteBuffer.allocateDirect(v.length).order(ByteOrder.nativeOrder());
        b.put(v).rewind();
        return b;
    }
}
