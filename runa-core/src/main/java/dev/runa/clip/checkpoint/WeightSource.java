package dev.runa.clip.checkpoint;

import dev.runa.tensor.TensorView;
import java.util.Set;

/**
 * A set of named tensors: a checkpoint file, several shards, or weights generated in memory.
 *
 * <p>Tensors returned by {@link #tensor(String)} stay valid until {@link #close()}; whoever opens
 * a source owns it and must close it after every consumer (including ONNX Runtime sessions built
 * on its buffers) is closed.
 */
public interface WeightSource extends AutoCloseable {

    /** Where the weights come from, for error messages ({@code "model.safetensors"}, {@code "random:tiny"}). */
    String description();

    /** All tensor names. */
    Set<String> names();

    /**
     * The tensor with this name.
     *
     * @throws CheckpointException naming the source and the key when there is no such tensor
     */
    TensorView tensor(String name);

    /** True when a tensor of this name exists. */
    default boolean contains(String name) {
        return names().contains(name);
    }

    @Override
    void close();
}
