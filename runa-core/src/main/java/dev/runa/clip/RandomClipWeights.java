package dev.runa.clip;

import dev.runa.clip.checkpoint.CheckpointException;
import dev.runa.clip.checkpoint.WeightSource;
import dev.runa.clip.graph.AttentionKind;
import dev.runa.clip.graph.TextGraph;
import dev.runa.clip.graph.VisionGraph;
import dev.runa.onnx.OnnxModel;
import dev.runa.onnx.ValueInfo;
import dev.runa.tensor.DType;
import dev.runa.tensor.TensorView;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Seeded random weights of any CLIP architecture under Hugging Face key names, in direct buffers:
 * the {@code random:NAME} models for benchmarks and tests. Each tensor is generated on first use
 * from (seed, name), so values do not depend on which tensors are asked for or in what order, and
 * a benchmark of the image tower never pays for the 49408-row token embedding.
 *
 * <p>Values: N(0, 0.02^2) like CLIP's initialisation, except LayerNorm gains N(1, 0.1^2), so that
 * no layer is an identity and parity tests exercise every parameter. {@link LayerNorms#TRAINED}
 * also gives LayerNorm biases the spread of a trained CLIP's (N(0, 0.05^2)), which is what int8
 * quantization finds hardest (issue 9 item 10).
 */
public final class RandomClipWeights implements WeightSource {
    private static final double STD = 0.02;

    /**
     * Spread of the LayerNorm parameters: gains N(1, gainStd^2), biases N(0, biasStd^2).
     *
     * @param gainStd       standard deviation of the gains around 1
     * @param biasStd       standard deviation of the biases around 0
     * @param postLayerNorm whether the vision tower's {@code post_layernorm} is drawn as a
     *                      LayerNorm too. The {@link #DEFAULT} weights draw it like any other
     *                      weight (gains ~ N(0, 0.02^2)), as the {@code random:NAME} models always
     *                      have: their pooled features are then half a constant vector (the
     *                      bias), which hides half of any error in a pooled-feature cosine.
     */
    public record LayerNorms(double gainStd, double biasStd, boolean postLayerNorm) {
        /** Gains 1 ± 0.1, biases like every other parameter (± 0.02): the {@code random:NAME} models. */
        public static final LayerNorms DEFAULT = new LayerNorms(0.1, STD, false);
        /**
         * Every LayerNorm (post_layernorm included) with gains 1 ± 0.1 and biases ± 0.05, as in
         * trained CLIPs: the {@code random:NAME-trained-ln} models, for checking int8 the way a
         * trained checkpoint exercises it.
         */
        public static final LayerNorms TRAINED = new LayerNorms(0.1, 0.05, true);

        public LayerNorms {
            if (!(gainStd >= 0) || !(biasStd >= 0)) {
                throw new IllegalArgumentException(
                        "LayerNorm spreads must be >= 0, got gains " + gainStd + ", biases " + biasStd);
            }
        }
    }

    private final ClipConfig config;
    private final long seed;
    private final LayerNorms layerNorms;
    private final Map<String, long[]> shapes;
    private final Map<String, TensorView> generated = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public RandomClipWeights(ClipConfig config, long seed) {
        this(config, seed, LayerNorms.DEFAULT);
    }

    /** Random weights whose LayerNorm parameters have the spread {@code layerNorms}. */
    public RandomClipWeights(ClipConfig config, long seed, LayerNorms layerNorms) {
        this.config = config;
        this.seed = seed;
        this.layerNorms = layerNorms;
        Map<String, long[]> s = new LinkedHashMap<>();
        for (var model : new OnnxModel[] {
            VisionGraph.build(config, AttentionKind.PLAIN), TextGraph.build(config, AttentionKind.PLAIN)
        }) {
            for (ValueInfo w : model.external()) {
                s.put(w.name(), model.storedShape(w));
            }
        }
        s.put("logit_scale", new long[0]);
        this.shapes = Collections.unmodifiableMap(s);
    }

    @Override
    public String description() {
        String ln = layerNorms.equals(LayerNorms.DEFAULT)
                ? ""
                : ", LayerNorm gains 1 ± " + layerNorms.gainStd() + ", biases ± " + layerNorms.biasStd();
        return "random weights for " + config.name() + " (seed " + seed + ln + ")";
    }

    @Override
    public Set<String> names() {
        return shapes.keySet();
    }

    @Override
    public TensorView tensor(String name) {
        if (closed) {
            throw new IllegalStateException(description() + " is closed");
        }
        long[] shape = shapes.get(name);
        if (shape == null) {
            throw new CheckpointException(description() + ": no tensor '" + name + "'");
        }
        return generated.computeIfAbsent(name, n -> generate(n, shape));
    }

    private TensorView generate(String name, long[] shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        ByteBuffer b = ByteBuffer.allocateDirect(Math.toIntExact(count * 4)).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode());
        boolean layerNorm = name.contains("layer_norm")
                || name.contains("layrnorm")
                || (layerNorms.postLayerNorm() && name.contains("post_layernorm"));
        boolean gain = layerNorm && name.endsWith(".weight");
        boolean lnBias = layerNorm && name.endsWith(".bias");
        if (name.equals("logit_scale")) {
            b.putFloat(0, (float) Math.log(1 / 0.07));
        } else {
            double std = gain ? layerNorms.gainStd() : lnBias ? layerNorms.biasStd() : STD;
            for (int i = 0; i < count; i++) {
                double z = rnd.nextGaussian();
                b.putFloat(i * 4, (float) (gain ? 1 + std * z : std * z));
            }
        }
        return new TensorView(name, DType.F32, shape, b);
    }

    @Override
    public void close() {
        closed = true;
        generated.clear();
    }
}
