package dev.runa.eval;

import dev.runa.ood.Projection;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A fine-tuned projection to evaluate, one of possibly several (the paper's shots ablation).
 *
 * @param label      short name in experiment names, e.g. {@code 10-shot}
 * @param projection the fine-tuned {@code [P, D]} projection
 * @param identity   what names the file in reports (e.g. {@code sha256:...})
 * @param shots      shots per class it was trained with, when it belongs in the shots series (0, 1, 5, 10...)
 */
public record EvalAdapter(String label, Projection projection, String identity, OptionalInt shots) {
    public EvalAdapter {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("adapter label is blank");
        }
        Objects.requireNonNull(projection, "projection");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(shots, "shots (use OptionalInt.empty())");
    }
}
