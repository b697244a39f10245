package dev.runa.clip;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.runa.clip.checkpoint.WeightSource;
import dev.runa.clip.graph.ActivationStats;
import dev.runa.clip.graph.AttentionKind;
import dev.runa.clip.graph.EncoderGraph;
import dev.runa.clip.graph.GraphSpec;
import dev.runa.clip.graph.VisionGraph;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * CLIP's image tower on ONNX Runtime: preprocessed pixels in, pooled features and projected
 * embeddings out. One instance holds {@link EncoderOptions#sessions()} ORT sessions (one by
 * default) and may be shared by any number of threads; each run takes an idle session. With several
 * sessions, the {@link EncoderOptions#maxRunBatch()} runs of one request execute in parallel on an
 * owned thread pool (closed with the encoder); results do not depend on the number of sessions,
 * since every run has the same images either way.
 *
 * <p>The weights are used in place from the {@link WeightSource}, which the caller owns and must
 * close only after this encoder.
 */
public final class VisionEncoder implements AutoCloseable {
    private final ClipConfig config;
    private final WeightSource weights;
    private final List<OrtGraphSession> sessions;
    private final BlockingQueue<OrtGraphSession> idle;
    // Runs the chunks of one request in parallel; null with a single session.
    private final ExecutorService runners;
    private final int maxRunBatch;
    private final Precision precision;
    /**
     * Direct input buffers of {@code maxRunBatch} images, reused across runs (one per concurrently
     * running thread). ORT copies a heap buffer into freshly allocated native memory on every run,
     * and first-touching that memory cost ~2 ms per image on the reference VM (page faults), ~5%
     * of an int8 run; a reused buffer takes ~0.03 ms per image to fill.
     */
    private final ConcurrentLinkedQueue<FloatBuffer> inputBuffers = new ConcurrentLinkedQueue<>();

    private VisionEncoder(
            ClipConfig config,
            WeightSource weights,
            List<OrtGraphSession> sessions,
            int maxRunBatch,
            Precision precision) {
        this.config = config;
        this.weights = weights;
        this.sessions = List.copyOf(sessions);
        this.idle = new ArrayBlockingQueue<>(sessions.size(), false, sessions);
        this.runners = sessions.size() == 1
                ? null
                : Executors.newFixedThreadPool(sessions.size(), r -> {
                    Thread t = new Thread(r, "runa-vision-run");
                    t.setDaemon(true);
                    return t;
                });
        this.maxRunBatch = maxRunBatch;
        this.precision = precision;
    }

    /** The arithmetic this encoder runs with ({@link Precision#FP32} or {@link Precision#INT8}, never AUTO). */
    public Precision precision() {
        return precision;
    }

    /**
     * Builds the graph for {@code config} and opens a session over {@code weights}.
     *
     * @throws dev.runa.clip.checkpoint.CheckpointException when a weight is missing or mis-shaped
     */
    public static VisionEncoder open(ClipConfig config, WeightSource weights, EncoderOptions options) {
        return open(config, weights, options, (List<float[]>) null);
    }

    /**
     * Like {@link #open(ClipConfig, WeightSource, EncoderOptions)}, with the images whose activation
     * statistics calibrate int8 smoothing ({@link Precision#INT8} only).
     *
     * @param calibration preprocessed images, each [3, size, size]; null for
     *                    {@link CalibrationImages#synthetic} ones
     */
    public static VisionEncoder open(
            ClipConfig config, WeightSource weights, EncoderOptions options, List<float[]> calibration) {
        GraphSpec spec;
        if (options.precision().resolve() == Precision.INT8) {
            List<float[]> images = calibration != null
                    ? calibration
                    : CalibrationImages.synthetic(config.vision().imageSize(), CalibrationImages.DEFAULT_COUNT, 0);
            ActivationStats stats = activationStats(config, weights, options, images);
            // Per-row activation scales (the Int8Plan default): an image's features do not depend on
            // the other images of its run, which the former per-run graph (QAttention) could not
            // offer; measured at the same speed (bench/GraphSweep.java, int8rows+skipln vs
            // int8qattn+skipln; docs/performance.md). Per-row int8 always uses MultiHeadAttention.
            spec = new GraphSpec(
                    AttentionKind.FUSED, true, new GraphSpec.Int8Plan(stats, SMOOTHING_ALPHA, QUANTIZE_FC2), false);
        } else {
            // PLAIN stays standard ops only: it is the portable numerical reference.
            spec = new GraphSpec(options.attention(), options.attention() != AttentionKind.PLAIN, null, false);
        }
        return openGraph(config, weights, options, VisionGraph.build(config, spec));
    }

    /** Opens a session over an already built vision graph (for experiments with {@link GraphSpec}s). */
    public static VisionEncoder openGraph(
            ClipConfig config, WeightSource weights, EncoderOptions options, EncoderGraph graph) {
        EncoderOptions each = options.withThreads(options.threadsPerSession()).withSessions(1);
        List<OrtGraphSession> opened = new ArrayList<>();
        try {
            for (int i = 0; i < options.sessions(); i++) {
                opened.add(new OrtGraphSession(graph, weights, each));
            }
        } catch (RuntimeException e) {
            opened.forEach(OrtGraphSession::close);
            throw e;
        }
        return new VisionEncoder(
                config,
                weights,
                opened,
                options.maxRunBatch(),
                options.precision().resolve());
    }

    /** SmoothQuant migration strength: 0.5 splits each outlier's range evenly between activations and weights. */
    static final double SMOOTHING_ALPHA = 0.5;
    /**
     * Whether fc2 runs int8 although its input cannot be smoothed: on ViT-B/16 with x30 outlier
     * channels the pooled cosine stays 0.99967 with it (0.99983 without), while keeping fc2 fp32
     * costs ~1.6x the CPU time per image.
     */
    static final boolean QUANTIZE_FC2 = true;

    /**
     * Per-channel max |activation| at every block's matrix-product inputs over {@code images},
     * from the fp32 graph (run once, then closed).
     */
    public static ActivationStats activationStats(
            ClipConfig config, WeightSource weights, EncoderOptions options, List<float[]> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("calibration needs at least one image");
        }
        ClipConfig.Vision v = config.vision();
        EncoderGraph graph = VisionGraph.build(config, new GraphSpec(AttentionKind.FUSED, false, null, true));
        int per = 3 * v.imageSize() * v.imageSize();
        ActivationStats stats = ActivationStats.empty(v.layers(), v.width(), v.intermediateSize());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtGraphSession s = new OrtGraphSession(graph, weights, options.withPrepacking(false))) {
            for (int i = 0; i < images.size(); i++) {
                float[] img = images.get(i);
                if (img.length != per) {
                    throw new IllegalArgumentException(
                            "calibration image " + i + ": " + img.length + " floats, expected " + per);
                }
                try (OnnxTensor in = OnnxTensor.createTensor(
                                env, FloatBuffer.wrap(img), new long[] {1, 3, v.imageSize(), v.imageSize()});
                        OrtSession.Result r =
                                s.session().run(Map.of(VisionGraph.PIXELS, in), Set.copyOf(graph.statistics()))) {
                    float[][][] parts = new float[4][v.layers()][];
                    for (int layer = 0; layer < v.layers(); layer++) {
                        for (int k = 0; k < 4; k++) {
                            parts[k][layer] =
                                    floats(r, ActivationStats.outputName(ActivationStats.POINTS.get(k), layer));
                        }
                    }
                    stats = stats.max(new ActivationStats(parts[0], parts[1], parts[2], parts[3]));
                } catch (OrtException e) {
                    throw new IllegalStateException("vision calibration (" + config.name() + "): " + e.getMessage(), e);
                }
            }
        }
        return stats;
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
     *         run in consecutive chunks). An image's result is bit-identical whatever else is in
     *         the batch, in fp32 and in int8 (which quantizes every activation row with its own
     *         scale)
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
        if (runners == null || batch <= maxRunBatch) {
            for (int start = 0; start < batch; start += maxRunBatch) {
                out.addAll(chunk(pixels, start, Math.min(maxRunBatch, batch - start)));
            }
            return out;
        }
        List<Future<List<ImageFeatures>>> runs = new ArrayList<>();
        for (int start = 0; start < batch; start += maxRunBatch) {
            int from = start;
            runs.add(runners.submit(() -> chunk(pixels, from, Math.min(maxRunBatch, batch - from))));
        }
        for (Future<List<ImageFeatures>> f : runs) {
            try {
                out.addAll(f.get());
            } catch (InterruptedException e) {
                runs.forEach(r -> r.cancel(true));
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while encoding", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("vision encoder: " + e.getCause(), e.getCause());
            }
        }
        return out;
    }

    /** Largest batch one ORT run is given; bigger requests are split into runs of this size. */
    public int maxRunBatch() {
        return maxRunBatch;
    }

    /** Number of ORT sessions runs are spread over. */
    public int sessions() {
        return sessions.size();
    }

    private List<ImageFeatures> chunk(float[] pixels, int start, int count) {
        return run(
                FloatBuffer.wrap(pixels, start * pixelsPerImage(), count * pixelsPerImage())
                        .slice(),
                count);
    }

    private List<ImageFeatures> run(FloatBuffer pixels, int batch) {
        FloatBuffer buffer = inputBuffers.poll();
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(Math.multiplyExact(maxRunBatch * pixelsPerImage(), Float.BYTES))
                    .order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }
        try {
            buffer.clear();
            buffer.put(pixels).flip();
            return run(buffer.slice(), batch, config.vision().imageSize());
        } finally {
            inputBuffers.offer(buffer);
        }
    }

    /** Runs the session on {@code pixels}, a direct buffer that ORT wraps without copying. */
    private List<ImageFeatures> run(FloatBuffer pixels, int batch, int n) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtGraphSession ort;
        try {
            ort = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a vision session", e);
        }
        try (OnnxTensor in = OnnxTensor.createTensor(env, pixels, new long[] {batch, 3, n, n});
                OrtSession.Result r = ort.session().run(Map.of(VisionGraph.PIXELS, in))) {
            float[] pooled = floats(r, VisionGraph.POOLED);
            float[] embedding = floats(r, VisionGraph.EMBEDDING);
            int w = config.vision().width();
            int p = config.projectionDim();
            List<ImageFeatures> out = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                out.add(new ImageFeatures(
                        Arrays.copyOfRange(pooled, i * w, (i + 1) * w),
                        Arrays.copyOfRange(embedding, i * p, (i + 1) * p)));
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("vision encoder (" + config.name() + "): " + e.getMessage(), e);
        } finally {
            idle.add(ort);
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
        return ProjectionRows.of(
                weights,
                VisionGraph.PROJECTION,
                config.projectionDim(),
                config.vision().width());
    }

    static float[] floats(OrtSession.Result r, String name) throws OrtException {
        OnnxTensor t = (OnnxTensor)
                r.get(name).orElseThrow(() -> new IllegalStateException("graph output '" + name + "' missing"));
        FloatBuffer b = t.getFloatBuffer();
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    @Override
    public void close() {
        if (runners != null) {
            runners.shutdownNow();
        }
        sessions.forEach(OrtGraphSession::close);
    }
}
