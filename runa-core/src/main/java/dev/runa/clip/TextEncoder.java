package dev.runa.clip;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.runa.clip.checkpoint.WeightSource;
import dev.runa.clip.graph.GraphSpec;
import dev.runa.clip.graph.TextGraph;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * CLIP's text tower on ONNX Runtime: token ids (already tokenised, padded to the context length)
 * in, projected embeddings out. Thread-safe; weights are used in place from the caller-owned
 * {@link WeightSource}, which must outlive this encoder.
 */
public final class TextEncoder implements AutoCloseable {
    private final ClipConfig config;
    private final WeightSource weights;
    private final OrtGraphSession ort;

    private TextEncoder(ClipConfig config, WeightSource weights, OrtGraphSession ort) {
        this.config = config;
        this.weights = weights;
        this.ort = ort;
    }

    /**
     * Builds the graph for {@code config} and opens a session over {@code weights}.
     *
     * @throws dev.runa.clip.checkpoint.CheckpointException when a weight is missing or mis-shaped
     */
    public static TextEncoder open(ClipConfig config, WeightSource weights, EncoderOptions options) {
        return new TextEncoder(
                config,
                weights,
                new OrtGraphSession(TextGraph.build(config, GraphSpec.fp32(options.attention())), weights, options));
    }

    /** The architecture. */
    public ClipConfig config() {
        return config;
    }

    /**
     * Encodes token sequences, each exactly {@code contextLength} ids (start token, BPE ids, end
     * token, zero padding). The end-of-text position is taken as the largest id, as OpenAI does.
     */
    public List<TextFeatures> encode(int[][] tokenIds) {
        int len = config.text().contextLength();
        int batch = tokenIds.length;
        if (batch == 0) {
            return List.of();
        }
        long[] flat = new long[batch * len];
        for (int i = 0; i < batch; i++) {
            if (tokenIds[i].length != len) {
                throw new IllegalArgumentException("token sequence " + i + " has " + tokenIds[i].length
                        + " ids, the model's context length is " + len);
            }
            for (int j = 0; j < len; j++) {
                int id = tokenIds[i][j];
                if (id < 0 || id >= config.text().vocabSize()) {
                    throw new IllegalArgumentException("token sequence " + i + ", position " + j + ": id " + id
                            + " is outside the vocabulary [0, " + config.text().vocabSize() + ")");
                }
                flat[i * len + j] = id;
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor in = OnnxTensor.createTensor(env, LongBuffer.wrap(flat), new long[] {batch, len});
                OrtSession.Result r = ort.session().run(Map.of(TextGraph.TOKEN_IDS, in))) {
            float[] pooled = VisionEncoder.floats(r, TextGraph.POOLED);
            float[] embedding = VisionEncoder.floats(r, TextGraph.EMBEDDING);
            int w = config.text().width();
            int p = config.projectionDim();
            List<TextFeatures> out = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                out.add(new TextFeatures(
                        Arrays.copyOfRange(pooled, i * w, (i + 1) * w),
                        Arrays.copyOfRange(embedding, i * p, (i + 1) * p)));
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("text encoder (" + config.name() + "): " + e.getMessage(), e);
        }
    }

    /** The text projection matrix [projection][width], copied to the heap. */
    public float[][] projection() {
        return ProjectionRows.of(
                weights,
                TextGraph.PROJECTION,
                config.projectionDim(),
                config.text().width());
    }

    @Override
    public void close() {
        ort.close();
    }
}
