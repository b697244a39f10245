package dev.runa.eval;

/**
 * ID and OOD score samples (higher = more ID), e.g. read from a {@code label,score} CSV file.
 * The arrays are copied on the way in and out, so an instance never changes.
 */
public record LabelledScores(double[] idScores, double[] oodScores) {
    public LabelledScores {
        idScores = idScores.clone();
        oodScores = oodScores.clone();
    }

    @Override
    public double[] idScores() {
        return idScores.clone();
    }

    @Override
    public double[] oodScores() {
        return oodScores.clone();
    }

    /** The benchmark metrics of these samples; see {@link OodMetrics#compute}. */
    public OodMetrics metrics() {
        return OodMetrics.compute(idScores, oodScores);
    }
}
