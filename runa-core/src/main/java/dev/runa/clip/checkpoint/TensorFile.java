package dev.runa.clip.checkpoint;

import dev.runa.tensor.TensorView;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * What every checkpoint file format shares once parsed: a fixed table of tensors over the file's
 * (mapped) bytes, and errors that name the file. Subclasses only parse.
 */
abstract class TensorFile implements WeightSource {
    private final Path path;
    private final Map<String, TensorView> tensors;
    private volatile boolean closed;

    TensorFile(Path path, Map<String, TensorView> tensors) {
        this.path = path;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** The file. */
    public Path path() {
        return path;
    }

    @Override
    public String description() {
        return path.toString();
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public TensorView tensor(String name) {
        if (closed) {
            throw new CheckpointException(path + ": closed, cannot read tensor '" + name + "'");
        }
        TensorView t = tensors.get(name);
        if (t == null) {
            throw new CheckpointException(path + ": no tensor named '" + name + "'");
        }
        return t;
    }

    /**
     * Marks the file closed. The mappings themselves are released by the garbage collector (the JVM
     * cannot unmap), so views handed out earlier stay readable until then.
     */
    @Override
    public void close() {
        closed = true;
    }
}
