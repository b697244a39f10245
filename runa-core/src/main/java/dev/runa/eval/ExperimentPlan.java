package dev.runa.eval;

import dev.runa.ood.FeatureFusion;
import dev.runa.ood.FusionMode;
import dev.runa.ood.IdScorer;
import dev.runa.ood.Projection;
import dev.runa.ood.RunaScorer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The experiments of one evaluation run, all scored from the same cached features:
 * <ul>
 *   <li>the paper's Table 2: regional only (RE, lambda 1), global only (GE, lambda 0) and the fused
 *       encoder at the chosen lambda (RE+GE), each with the pretrained projection and with every
 *       given adapter;</li>
 *   <li>the paper's Figure 5 (shots): when some adapter knows its shots, the experiments at the
 *       chosen lambda carry them, the pretrained projection as 0 shots.</li>
 * </ul>
 * A chosen lambda of 1 or 0 coincides with RE or GE and is not repeated.
 */
public final class ExperimentPlan {
    private ExperimentPlan() {}

    /**
     * @param lambda     the chosen fusion weight (the run's {@code --lambda})
     * @param fusion     early or late fusion, for every experiment
     * @param pretrained the model's own projection
     * @param prompts    unit text embeddings of the ID prompts
     * @param adapters   fine-tuned projections, labels unique
     */
    public static List<ScoringExperiment> build(
            double lambda, FusionMode fusion, Projection pretrained, float[][] prompts, List<EvalAdapter> adapters) {
        Objects.requireNonNull(fusion, "fusion");
        Set<String> labels = new LinkedHashSet<>();
        for (EvalAdapter a : adapters) {
            if (!labels.add(a.label())) {
                throw new IllegalArgumentException("two adapters are labelled '" + a.label() + "'");
            }
        }
        boolean shotsSeries = adapters.stream().anyMatch(a -> a.shots().isPresent());
        IdScorer idScorer = new IdScorer(prompts);
        Set<Double> lambdas = new LinkedHashSet<>(List.of(1.0, 0.0, lambda));
        List<ScoringExperiment> out = new ArrayList<>();
        for (double l : lambdas) {
            boolean main = l == lambda;
            String base = encoderName(l);
            OptionalInt zeroShot = main && shotsSeries ? OptionalInt.of(0) : OptionalInt.empty();
            out.add(new ScoringExperiment(
                    base,
                    Ablation.ofLambda(l, false, zeroShot),
                    new RunaScorer(new FeatureFusion(l, fusion, pretrained, pretrained), idScorer, null)));
            for (EvalAdapter a : adapters) {
                OptionalInt shots = main ? a.shots() : OptionalInt.empty();
                out.add(new ScoringExperiment(
                        base + " + adapter " + a.label(),
                        Ablation.ofLambda(l, true, shots),
                        new RunaScorer(new FeatureFusion(l, fusion, a.projection(), pretrained), idScorer, null)));
            }
        }
        return out;
    }

    /** RE for lambda 1, GE for lambda 0, RE+GE otherwise (the paper's Table 2 names). */
    public static String encoderName(double lambda) {
        return lambda == 1 ? "RE" : lambda == 0 ? "GE" : "RE+GE";
    }
}
