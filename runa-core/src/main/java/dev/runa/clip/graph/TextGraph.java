package dev.runa.clip.graph;

import dev.runa.clip.ClipConfig;
import dev.runa.onnx.Dim;
import dev.runa.onnx.ElementType;
import dev.runa.onnx.GraphBuilder;
import dev.runa.onnx.OnnxModel;

/**
 * The ONNX graph of CLIP's causal text tower (HF {@code CLIPTextModel} plus {@code text_projection}),
 * with Hugging Face weight names.
 *
 * <p>Input {@value #TOKEN_IDS} [batch, context] int64. Outputs {@value #POOLED} [batch, width]
 * (the final-LayerNorm state at the end-of-text token) and {@value #EMBEDDING} [batch, projection].
 * The end-of-text position is the argmax of the ids, as in OpenAI's implementation (the end token
 * 49407 is the largest id).
 */
public final class TextGraph {
    public static final String TOKEN_IDS = "input_ids";
    public static final String POOLED = "pooled";
    public static final String EMBEDDING = "embedding";
    /** Name of the projection weight ([projection, width], no bias). */
    public static final String PROJECTION = "text_projection.weight";

    /**
     * Additive value for masked (future) positions. Finite rather than -inf so that no kernel can
     * form inf - inf; exp() of it underflows to exactly 0, so the result equals OpenAI's -inf mask.
     */
    static final float MASKED = -1e30f;

    private TextGraph() {}

    /** Builds the graph for this architecture. */
    public static OnnxModel build(ClipConfig config, AttentionKind attention) {
        return build(config, GraphSpec.fp32(attention)).model();
    }

    /** Builds the graph for this architecture as {@code spec} says, with the weights it derives. */
    public static EncoderGraph build(ClipConfig config, GraphSpec spec) {
        ClipConfig.Text t = config.text();
        int d = t.width();
        int len = t.contextLength();
        String p = "text_model";
        GraphBuilder g = new GraphBuilder("clip_text");
        TransformerGraph tr =
                new TransformerGraph(g, p, len, d, t.heads(), t.intermediateSize(), t.layerNormEps(), spec);

        Dim batch = Dim.symbolic("batch");
        String ids = g.input(TOKEN_IDS, ElementType.INT64, batch, Dim.of(len));
        String tokens = g.gather(g.weight(p + ".embeddings.token_embedding.weight", t.vocabSize(), d), ids, 0);
        tokens = g.add(tokens, g.weight(p + ".embeddings.position_embedding.weight", len, d));

        float[] mask = new float[len * len];
        for (int i = 0; i < len; i++) {
            for (int j = i + 1; j < len; j++) {
                mask[i * len + j] = MASKED;
            }
        }
        String causal = g.floats("causal_mask", new long[] {len, len}, mask);
        String x = tr.encoder(g.reshape(tokens, -1, d), t.layers(), causal);

        // Row of the end-of-text token per sequence: GatherElements with index [B, 1, D].
        String eot = g.unsqueeze(g.argMax(ids, 1, true), 2);
        String index = g.expand(eot, g.int64s("one_one_width", 1, 1, d));
        String eotState = g.reshape(g.gatherElements(g.reshape(x, -1, len, d), index, 1), -1, d);
        // LayerNorm is per row, so normalising only the selected row equals HF's final_layer_norm on all.
        String pooled = g.identity(tr.layerNorm(eotState, p + ".final_layer_norm"), POOLED);
        String embedding = g.gemm(pooled, g.weight(PROJECTION, config.projectionDim(), d), null, false, true);
        g.identity(embedding, EMBEDDING);
        g.output(POOLED, ElementType.FLOAT, batch, Dim.of(d));
        g.output(EMBEDDING, ElementType.FLOAT, batch, Dim.of(config.projectionDim()));
        return new EncoderGraph(g.build(), tr.derived(), tr.statistics());
    }
}
