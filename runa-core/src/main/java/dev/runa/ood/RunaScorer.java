package dev.runa.ood;

/**
 * The cheap half of RUNA, from pooled features to a decision: fusion, projection, similarity to the
 * ID prompts, scores and the calibrated threshold. Immutable and thread-safe; evaluations re-run it
 * over cached features for every ablation.
 *
 * @param fusion      lambda, mode and projections
 * @param scorer      the ID prompt embeddings
 * @param calibration the threshold, or null for no decision
 */
public record RunaScorer(FeatureFusion fusion, IdScorer scorer, Calibration calibration) {

    /** All scores of one box. */
    public BoxScores score(BoxFeatures features) {
        return scorer.score(fusion.embed(features.regional(), features.global()));
    }

    /**
     * Cosine similarity of one box's fused embedding to each ID prompt, in class order: the values
     * {@link #score} reduces to the five scores.
     */
    public double[] similarities(BoxFeatures features) {
        return scorer.similarities(fusion.embed(features.regional(), features.global()));
    }

    /** The decision for scores: true OOD, false ID, null without calibration. */
    public Boolean decide(BoxScores scores) {
        return calibration == null ? null : calibration.isOod(scores);
    }
}
