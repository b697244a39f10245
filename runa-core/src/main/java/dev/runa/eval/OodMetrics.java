package dev.runa.eval;

/**
 * The benchmark metrics of one ID set against one OOD set (docs/method.md section 6), all fractions in
 * [0, 1]. ID is the positive class and a higher score means "more ID".
 *
 * @param nId         number of ID samples
 * @param nOod        number of OOD samples
 * @param auroc       area under the ROC curve, as scikit-learn's {@code roc_auc_score}
 * @param auprIn      average precision with ID positive, as scikit-learn's {@code average_precision_score}
 * @param auprOut     average precision with OOD positive and the score negated
 * @param fpr95       false positive rate at 95% true positive rate as the VOS code computes it
 *                    ({@code metric_utils.fpr_and_fdr_at_recall}); this is what the literature reports
 * @param fpr95Strict fraction of OOD scores &gt;= the k-th highest ID score, k = ceil(0.95 nId)
 */
public record OodMetrics(
        int nId, int nOod, double auroc, double auprIn, double auprOut, double fpr95, double fpr95Strict) {

    /**
     * Computes all metrics.
     *
     * @param idScores  scores of ID samples (higher = more ID); not empty, finite
     * @param oodScores scores of OOD samples; not empty, finite
     * @throws IllegalArgumentException when a set is empty or a score is NaN or infinite
     */
    public static OodMetrics compute(double[] idScores, double[] oodScores) {
        ScoreChecks.requireUsable(idScores, "ID");
        ScoreChecks.requireUsable(oodScores, "OOD");
        RankedScores idPositive = RankedScores.of(idScores, oodScores);
        RankedScores oodPositive = RankedScores.of(negate(oodScores), negate(idScores));
        return new OodMetrics(
                idScores.length,
                oodScores.length,
                ClassifierCurves.rocAuc(idPositive),
                ClassifierCurves.averagePrecision(idPositive),
                ClassifierCurves.averagePrecision(oodPositive),
                FprAtRecall.vos(idPositive, 0.95),
                FprAtRecall.strict95(idScores, oodScores));
    }

    private static double[] negate(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
        }
        return out;
    }
}
