package dev.runa.clip.graph;

import dev.runa.clip.ClipConfig;
import dev.runa.onnx.Dim;
import dev.runa.onnx.ElementType;
import dev.runa.onnx.GraphBuilder;
import dev.runa.onnx.OnnxModel;

/**
 * The ONNX graph of CLIP's image tower (OpenAI's {@code VisionTransformer}, HF {@code CLIPVisionModel}
 * plus {@code visual_projection}), with Hugging Face weight names.
 *
 * <p>Input {@value #PIXELS} [batch, 3, n, n] float. Outputs {@value #POOLED} [batch, width] (the
 * post-LayerNorm class token, before the projection) and {@value #EMBEDDING} [batch, projection]
 * (the projected, unnormalised embedding).
 */
public final class VisionGraph {
    public static final String PIXELS = "pixel_values";
    public static final String POOLED = "pooled";
    public static final String EMBEDDING = "embedding";
    /** Name of the projection weight ([projection, width], no bias). */
    public static final String PROJECTION = "visual_projection.weight";

    private VisionGraph() {}

    /** Builds the graph for this architecture. */
    public static OnnxModel build(ClipConfig config, AttentionKind attention) {
        return build(config, GraphSpec.fp32(attention)).model();
    }

    /** Builds the graph for this architecture as {@code spec} says, with the weights it derives. */
    public static EncoderGraph build(ClipConfig config, GraphSpec spec) {
        ClipConfig.Vision v = config.vision();
        int d = v.width();
        int grid = v.gridSize();
        int seq = v.sequenceLength();
        String p = "vision_model";
        GraphBuilder g = new GraphBuilder("clip_vision");
        TransformerGraph t =
                new TransformerGraph(g, p, seq, d, v.heads(), v.intermediateSize(), v.layerNormEps(), spec);

        Dim batch = Dim.symbolic("batch");
        String pixels =
                g.input(PIXELS, ElementType.FLOAT, batch, Dim.of(3), Dim.of(v.imageSize()), Dim.of(v.imageSize()));
        // Patch embedding as one GEMM over patchified pixels instead of a Conv: ORT rewrites Conv
        // weights into its blocked layouts at load time (a copy). [B,3,n,n] -> [B*g*g, 3*p*p].
        long pp = (long) v.patchSize() * v.patchSize();
        String patchW = g.weightViewed(
                p + ".embeddings.patch_embedding.weight", new long[] {d, 3, v.patchSize(), v.patchSize()}, d, 3 * pp);
        String cols = g.reshape(
                g.transpose(g.reshape(pixels, -1, 3, grid, v.patchSize(), grid, v.patchSize()), 0, 2, 4, 1, 3, 5),
                -1,
                3 * pp);
        String patches = g.reshape(g.gemm(cols, patchW, null, false, true), -1, (long) grid * grid, d); // [B, g*g, D]

        // One class token per image: Expand broadcasts the [D] parameter to [B, 1, D]. Not via a
        // Reshape of the weight: ORT would constant-fold that, i.e. read (copy) the weight itself.
        String cls = g.weight(p + ".embeddings.class_embedding", d);
        String clsShape = g.concat(0, g.shape(pixels, 0, 1), g.int64s("one_width", 1, d));
        String tokens = g.concat(1, g.expand(cls, clsShape), patches);
        tokens = g.add(tokens, g.weight(p + ".embeddings.position_embedding.weight", seq, d));

        String x = g.reshape(tokens, -1, d);
        x = t.layerNorm(x, p + ".pre_layrnorm"); // sic: HF's key spelling
        // Only the class token is read out: the last block computes it alone ([B, D]).
        String classToken = t.encoder(x, v.layers(), null, true);
        String pooled = g.identity(t.layerNorm(classToken, p + ".post_layernorm"), POOLED);
        String embedding = g.gemm(pooled, g.weight(PROJECTION, config.projectionDim(), d), null, false, true);
        g.identity(embedding, EMBEDDING);
        g.output(POOLED, ElementType.FLOAT, batch, Dim.of(d));
        g.output(EMBEDDING, ElementType.FLOAT, batch, Dim.of(config.projectionDim()));
        return new EncoderGraph(g.build(), t.derived(), t.statistics());
    }
}
