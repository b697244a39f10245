package dev.runa.clip;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.runa.clip.checkpoint.WeightSource;
import dev.runa.clip.graph.VisionGraph;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CLIP's image tower on ONNX Runtime: preprocessed pixels in, pooled features and projected
 * embeddings out. One instance holds one ORT session and may be shared by any number of threads.
 *
 * <p>The weights are used in place from the {@link WeightSource}, which the caller owns and must
 * close only after this encoder.
 */
public final class VisionEncoder implements AutoCloseable {
    private final ClipConfig config;
    private final WeightSource weights;
    private final OrtGraphSession ort;
    private final int maxRunBatch;

    private VisionEncoder(ClipConfig config, WeightSource weights, OrtGraphSession ort, int maxRunBatch) {
        this.config = config;
        this.weights = weights;
        this.ort = ort;
        this.maxRunBatch = maxRunBatch;
    }

    /**
     * Builds the graph for {@code config} and opens a session over {@code weights}.
     *
     * @throws dev.runa.clip.checkpoint.CheckpointException when a weight is missing or mis-shaped
     */
    public static VisionEncoder open(ClipConfig config, WeightSource weights, EncoderOptions options) {
        return new VisionEncoder(config, weights,
                new OrtGraphSession(VisionGraph.build(config, options.attention()), weights, options),
                options.maxRunBatch());
    }

    /** The architecture. */
    public ClipConfig config() {
        return config;
    }

    /** Number of floats of one preprocessed image: 3 * size * size. */
    public int pixelsPerImage() {
        int n = config.vision().imageSize();
        return 3 * n * n;
    }

    /**
     * Encodes a batch of preprocessed images.
     *
     * @param pixels {@code batch} images back to back, each [3, size, size] (CHW, normalised)
     * @param batch  number of images
     * @return one result per image, in order (batches above {@link EncoderOptions#maxRunBatch()}
     *         run in consecutive chunks)
     */
    public List<ImageFeatures> encode(float[] pixels, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (pixels.length != (long) batch * pixelsPerImage()) {
            int n = config.vision().imageSize();
            throw new IllegalArgumentException("pixels: " + pixels.length + " floats for a batch of " + batch
                    + " images of [3, " + n + ", " + n + "] (expected " + (long) batch * pixelsPerImage() + ")");
        }
        List<ImageFeatures> out = new ArrayList<>(batch);
        for (int start = 0; start < batch; start += maxRunBatch) {
            int count = Math.min(maxRunBatch, batch - start);
            out.addAll(run(FloatBuffer.wrap(pixels, start * pixelsPerImage(), count * pixelsPerImage()).slice(), count));
        }
        return out;
    }

    private List<ImageFeatures> run(FloatBuffer pixels, int batch) {
        int n = config.vision().imageSize();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor in = OnnxTensor.createTensor(env, pixels, new long[]{batch, 3, n, n});
             OrtSession.Result r = ort.session().run(Map.of(VisionGraph.PIXELS, in))) {
            float[] pooled = floats(r, VisionGraph.POOLED);
            float[] embedding = floats(r, VisionGraph.EMBEDDING);
            int w = config.vision().width();
            int p = config.projectionDim();
            List<ImageFeatures> out = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                out.add(new ImageFeatures(java.util.Arrays.copyOfRange(pooled, i * w, (i + 1) * w),
                        java.util.Arrays.copyOfRange(embedding, i * p, (i + 1) * p)));
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("vision encoder (" + config.name() + "): " + e.getMessage(), e);
        }
    }

    /** Encodes one image of [3, size, size] floats. */
    public ImageFeatures encode(float[] pixels) {
        return encode(pixels, 1).get(0);
    }

    /**
     * The projection matrix [projection][width] (row {@code i} gives embedding component {@code i}),
     * copied to the heap: small, and the input of a replaceable or fine-tuned projection.
     */
    public float[][] projection() {
        return Projection.rows(weights, VisionGraph.PROJECTION, config.projectionDim(), config.vision().width());
    }

    static float[] floats(OrtSession.Result r, String name) throws OrtException {
        OnnxTensor t = (OnnxTensor) r.get(name).orElseThrow(() -> new IllegalStateException("graph output '" + name + "' missing"));
        FloatBuffer b = t.getFloatBuffer();
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    @Override
    public void close() {
        ort.close();
    }
}
