package dev.runa.eval;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The cumulative counts shared by every threshold metric, as scikit-learn's {@code _binary_clf_curve}
 * and the VOS {@code fpr_and_fdr_at_recall} build them: samples sorted by score descending, one point
 * per distinct score value (ties share one point), with the number of positives ({@code tps}) and
 * negatives ({@code fps}) whose score is at least that value.
 */
final class RankedScores {
    /** Distinct thresholds, descending. */
    final double[] thresholds;
    /** Positives with score &gt;= thresholds[i]. */
    final double[] tps;
    /** Negatives with score &gt;= thresholds[i]. */
    final double[] fps;

    private RankedScores(double[] thresholds, double[] tps, double[] fps) {
        this.thresholds = thresholds;
        this.tps = tps;
        this.fps = fps;
    }

    /** Builds the curve counts with {@code positives} as the positive class. */
    static RankedScores of(double[] positives, double[] negatives) {
        int n = positives.length + negatives.length;
        double[] score = new double[n];
        boolean[] positive = new boolean[n];
        System.arraycopy(positives, 0, score, 0, positives.length);
        System.arraycopy(negatives, 0, score, positives.length, negatives.length);
        Arrays.fill(positive, 0, positives.length, true);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Order within a run of equal scores does not matter: counts are read only at run ends.
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> score[i]).reversed());
        double[] thr = new double[n];
        double[] tp = new double[n];
        double[] fp = new double[n];
        int points = 0;
        long tpCount = 0;
        for (int r = 0; r < n; r++) {
            int i = order[r];
            if (positive[i]) {
                tpCount++;
            }
            // numpy's np.diff(score) != 0 marks a run end; == treats -0.0 and 0.0 as equal like numpy.
            boolean runEnds = r == n - 1 || score[order[r + 1]] != score[i];
            if (runEnds) {
                thr[points] = score[i];
                tp[points] = tpCount;
                fp[points] = (r + 1) - tpCount;
                points++;
            }
        }
        return new RankedScores(Arrays.copyOf(thr, points), Arrays.copyOf(tp, points), Arrays.copyOf(fp, points));
    }

    int size() {
        return thresholds.length;
    }
}
