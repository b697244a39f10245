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
 * no layer is an identity and parity tests exercise every parameter.
 */
public final class RandomClipWeights implements WeightSource {
    private static final double STD = 0.02;
    private static final double GAIN_STD = 0.1;

    private final ClipConfig config;
    private final long seed;
    private final Map<String, long[]> shapes;
    private final Map<String, TensorView> generated = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public RandomClipWeights(ClipConfig config, long seed) {
        this.config = config;
        this.seed = seed;
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
        return "random weights for " + config.name() + " (seed " + seed + ")";
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
        boolean gain = name.endsWith(".weight") && (name.contains("layer_norm") || name.contains("layrnorm"));
        if (name.equals("logit_scale")) {
            b.putFloat(0, (float) Math.log(1 / 0.07));
        } else {
            for (int i = 0; i < count; i++) {
                double z = rnd.nextGaussian();
                b.putFloat(i * 4, (float) (gain ? 1 + GAIN_STD * z : STD * z));
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
