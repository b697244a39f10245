package dev.runa.eval;

import dev.runa.ood.RunaScorer;
import java.util.Objects;

/**
 * One row of the ablation: a name, its place in the paper's tables, and the scorer that turns a
 * box's cached pooled features into its scores (no network involved).
 *
 * @param name     as shown in the report, e.g. {@code "RE+GE + adapter 10-shot"}
 * @param ablation RE / GE / adapter flags and shots
 * @param scorer   fusion, projection and prompt embeddings
 */
public record ScoringExperiment(String name, Ablation ablation, RunaScorer scorer) {
    public ScoringExperiment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ablation, "ablation");
        Objects.requireNonNull(scorer, "scorer");
    }
}
