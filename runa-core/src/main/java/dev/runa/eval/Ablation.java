package dev.runa.eval;

import java.util.OptionalInt;

/**
 * Which parts of RUNA an experiment used, for the paper's Table 2 (RE / GE / adapter) and its
 * few-shot figure (shots).
 *
 * @param regional whether the regional encoder contributes (lambda &gt; 0)
 * @param global   whether the global encoder contributes (lambda &lt; 1)
 * @param adapter  whether a fine-tuned projection was used
 * @param shots    shots per class the adapter was trained with (0 = zero-shot), when the experiment
 *                 belongs to a shots series
 */
public record Ablation(boolean regional, boolean global, boolean adapter, OptionalInt shots) {
    public Ablation {
        if (!regional && !global) {
            throw new IllegalArgumentException("an experiment must use the regional or the global encoder");
        }
        if (shots == null) {
            shots = OptionalInt.empty();
        }
        if (shots.isPresent() && shots.getAsInt() < 0) {
            throw new IllegalArgumentException("shots must be >= 0, got " + shots.getAsInt());
        }
    }

    /**
     * The flags of an experiment run with fusion weight {@code lambda} (1 = regional only, 0 = global only,
     * docs/method.md section 3).
     */
    public static Ablation ofLambda(double lambda, boolean adapter, OptionalInt shots) {
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda must lie in [0, 1], got " + lambda);
        }
        return new Ablation(lambda > 0, lambda < 1, adapter, shots);
    }
}
