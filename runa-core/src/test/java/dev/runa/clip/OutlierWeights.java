package dev.runa.clip;

import dev.runa.clip.checkpoint.WeightSource;
import dev.runa.tensor.DType;
import dev.runa.tensor.TensorView;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test weights: another source with a few channels of every vision block's LayerNorm gains (and
 * biases) multiplied by {@code factor}, which makes those channels of the LayerNorm outputs
 * outliers, as real CLIP models have.
 */
public final class OutlierWeights implements WeightSource {
    static final int[] CHANNELS = {3, 17, 29};

    private final WeightSource base;
    private final float factor;
    private final Map<String, TensorView> changed = new ConcurrentHashMap<>();

    public OutlierWeights(WeightSource base, float factor) {
        this.base = base;
        this.factor = factor;
    }

    @Override
    public String description() {
        return base.description() + " with x" + factor + " LayerNorm outlier channels";
    }

    @Override
    public Set<String> names() {
        return base.names();
    }

    @Override
    public TensorView tensor(String name) {
        if (!name.startsWith("vision_model.encoder.layers.") || !name.contains(".layer_norm")) {
            return base.tensor(name);
        }
        return changed.computeIfAbsent(name, n -> {
            TensorView t = base.tensor(n);
            FloatBuffer src = t.asFloats();
            ByteBuffer b =
                    ByteBuffer.allocateDirect(Math.toIntExact(t.numel() * 4)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < t.numel(); i++) {
                b.putFloat(i * 4, src.get(i));
            }
            for (int c : CHANNELS) {
                b.putFloat(c * 4, b.getFloat(c * 4) * factor);
            }
            return new TensorView(n, DType.F32, t.shape(), b);
        });
    }

    @Override
    public void close() {
        changed.clear();
    }
}
