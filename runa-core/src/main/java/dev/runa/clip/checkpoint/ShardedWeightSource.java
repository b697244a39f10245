package dev.runa.clip.checkpoint;

import dev.runa.tensor.TensorView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Several sources (the shards of one checkpoint) seen as one; owns and closes them. */
public final class ShardedWeightSource implements WeightSource {

    private final List<WeightSource> shards;
    private final Map<String, WeightSource> owner;

    /**
     * Combines shards; takes ownership of them (they are closed by {@link #close()}, or at once
     * when this constructor fails).
     *
     * @throws CheckpointException when two shards hold a tensor of the same name
     */
    public ShardedWeightSource(List<? extends WeightSource> shards) {
        this.shards = List.copyOf(shards);
        Map<String, WeightSource> map = new LinkedHashMap<>();
        for (WeightSource s : this.shards) {
            for (String n : s.names()) {
                WeightSource prev = map.putIfAbsent(n, s);
                if (prev != null) {
                    close(this.shards);
                    throw new CheckpointException("tensor '" + n + "' appears in two shards: " + prev.description()
                            + " and " + s.description());
                }
            }
        }
        this.owner = Collections.unmodifiableMap(map);
    }

    @Override
    public String description() {
        return shards.stream().map(WeightSource::description).collect(Collectors.joining(" + "));
    }

    @Override
    public Set<String> names() {
        return owner.keySet();
    }

    @Override
    public TensorView tensor(String name) {
        WeightSource s = owner.get(name);
        if (s == null) {
            throw new CheckpointException(description() + ": no tensor named '" + name + "'");
        }
        return s.tensor(name);
    }

    @Override
    public void close() {
        close(shards);
    }

    private static void close(List<WeightSource> sources) {
        List<RuntimeException> errors = new ArrayList<>();
        for (WeightSource s : sources) {
            try {
                s.close();
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        if (!errors.isEmpty()) {
            RuntimeException first = errors.get(0);
            errors.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }
}
