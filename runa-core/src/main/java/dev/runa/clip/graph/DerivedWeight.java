package dev.runa.clip.graph;

import dev.runa.clip.checkpoint.WeightSource;
import dev.runa.onnx.ElementType;
import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * A graph weight that is not a checkpoint tensor as stored but computed from checkpoint tensors
 * once, when the session is built (a concatenated QKV matrix, a smoothed LayerNorm gain, an int8
 * quantized matrix). The result is a new direct buffer: off-heap memory that the session holds for
 * its lifetime.
 *
 * @param type  element type of the graph weight
 * @param shape its shape in the graph
 * @param data  computes the weight's bytes (native byte order, direct, position 0) from the source
 */
public record DerivedWeight(ElementType type, long[] shape, Function<WeightSource, ByteBuffer> data) {
    public DerivedWeight {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Size of the weight in bytes. */
    public long bytes() {
        long n = type.byteSize();
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
