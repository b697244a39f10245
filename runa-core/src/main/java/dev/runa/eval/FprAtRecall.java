package dev.runa.eval;

import java.util.Arrays;

/** False positive rate at a fixed true positive rate, in the two definitions the benchmark reports. */
public final class FprAtRecall {
    private FprAtRecall() {}

    /**
     * FPR at {@code recallLevel} exactly as the VOS code's {@code fpr_and_fdr_at_recall} computes it:
     * one point per distinct score (descending), recall = tp / #ID; the curve is cut at the first point
     * where tp reaches #ID and reversed (lowest threshold first), the point (recall 1, fp 0) is appended,
     * and the first point minimising |recall - recallLevel| is taken (it may lie below the level; among
     * equally close points the lowest threshold wins, i.e. the most false positives at that recall).
     */
    public static double vos(double[] idScores, double[] oodScores, double recallLevel) {
        ScoreChecks.requireUsable(idScores, "ID");
        ScoreChecks.requireUsable(oodScores, "OOD");
        return vos(RankedScores.of(idScores, oodScores), recallLevel);
    }

    static double vos(RankedScores c, double recallLevel) {
        int n = c.size();
        double totalTp = c.tps[n - 1];
        double totalFp = c.fps[n - 1];
        int lastInd = 0;
        // np.searchsorted(tps, tps[-1]) (side left): first index whose tp reaches the total.
        while (c.tps[lastInd] < totalTp) {
            lastInd++;
        }
        int bestIndex = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        double bestFp = 0;
        // Walk the reversed slice [lastInd::-1], then the appended sentinel (recall 1, fp 0).
        for (int k = 0; k <= lastInd + 1; k++) {
            double recall;
            double fp;
            if (k <= lastInd) {
                int i = lastInd - k;
                recall = c.tps[i] / totalTp;
                fp = c.fps[i];
            } else {
                recall = 1.0;
                fp = 0.0;
            }
            double distance = Math.abs(recall - recallLevel);
            if (distance < bestDistance) { // strict: np.argmin returns the first minimum
                bestDistance = distance;
                bestIndex = k;
                bestFp = fp;
            }
        }
        assert bestIndex >= 0;
        return bestFp / totalFp;
    }

    /**
     * The strict FPR95: the fraction of OOD scores &gt;= t, where t is the k-th highest ID score and
     * k = ceil(0.95 * #ID); OOD scores tied with t count as accepted.
     */
    public static double strict95(double[] idScores, double[] oodScores) {
        ScoreChecks.requireUsable(idScores, "ID");
        ScoreChecks.requireUsable(oodScores, "OOD");
        double[] sorted = idScores.clone();
        Arrays.sort(sorted);
        // Integer ceil(95 n / 100) avoids 0.95 * n rounding in binary floating point.
        int k = (int) ((95L * sorted.length + 99) / 100);
        double t = sorted[sorted.length - k];
        int accepted = 0;
        for (double s : oodScores) {
            if (s >= t) {
                accepted++;
            }
        }
        return (double) accepted / oodScores.length;
    }
}
