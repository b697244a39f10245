package dev.runa.eval;

/**
 * The ROC curve of ID scores (positives) against OOD scores (negatives), one point per distinct score
 * threshold plus the origin, as scikit-learn's {@code roc_curve} without point dropping.
 *
 * @param fpr false positive rates (OOD accepted), ascending, starting at 0
 * @param tpr true positive rates (ID accepted), matching {@code fpr}
 */
public record RocCurve(double[] fpr, double[] tpr) {

    /** The curve of {@code id} scores against {@code ood} scores; both must be non-empty. */
    public static RocCurve of(double[] id, double[] ood) {
        RankedScores c = RankedScores.of(id, ood);
        int n = c.size();
        double totalTp = c.tps[n - 1];
        double totalFp = c.fps[n - 1];
        double[] fpr = new double[n + 1];
        double[] tpr = new double[n + 1];
        for (int i = 0; i < n; i++) {
            fpr[i + 1] = c.fps[i] / totalFp;
            tpr[i + 1] = c.tps[i] / totalTp;
        }
        return new RocCurve(fpr, tpr);
    }
}
