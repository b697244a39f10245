package dev.runa.eval;

/**
 * AUROC and average precision computed the way scikit-learn computes {@code roc_auc_score} and
 * {@code average_precision_score} for a binary problem: one curve point per distinct score, ROC area by
 * the trapezoid rule (ties therefore count one half), AP as the step sum {@code sum_n (R_n - R_{n-1}) P_n}
 * over thresholds in descending order, without interpolation.
 */
public final class ClassifierCurves {
    private ClassifierCurves() {}

    /** AUROC with {@code positives} as the positive class; both sets non-empty and finite. */
    public static double rocAuc(double[] positives, double[] negatives) {
        ScoreChecks.requireUsable(positives, "positive");
        ScoreChecks.requireUsable(negatives, "negative");
        return rocAuc(RankedScores.of(positives, negatives));
    }

    /** Average precision with {@code positives} as the positive class; both sets non-empty and finite. */
    public static double averagePrecision(double[] positives, double[] negatives) {
        ScoreChecks.requireUsable(positives, "positive");
        ScoreChecks.requireUsable(negatives, "negative");
        return averagePrecision(RankedScores.of(positives, negatives));
    }

    static double rocAuc(RankedScores c) {
        int n = c.size();
        double[] tps = c.tps;
        double[] fps = c.fps;
        // roc_curve(drop_intermediate=True) keeps the first, the last and every point where the curve
        // bends; dropping collinear points changes the trapezoid sum only in its last bits, but doing
        // it keeps the summation identical to scikit-learn's.
        double[] x = new double[n + 1];
        double[] y = new double[n + 1];
        int m = 0;
        x[m] = 0;
        y[m] = 0;
        m++;
        double totalFp = fps[n - 1];
        double totalTp = tps[n - 1];
        for (int i = 0; i < n; i++) {
            boolean keep = n <= 2
                    || i == 0
                    || i == n - 1
                    || (fps[i + 1] - 2 * fps[i] + fps[i - 1]) != 0
                    || (tps[i + 1] - 2 * tps[i] + tps[i - 1]) != 0;
            if (keep) {
                x[m] = fps[i] / totalFp;
                y[m] = tps[i] / totalTp;
                m++;
            }
        }
        double area = 0;
        for (int i = 1; i < m; i++) {
            area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2.0;
        }
        return area;
    }

    static double averagePrecision(RankedScores c) {
        int n = c.size();
        double totalTp = c.tps[n - 1];
        double ap = 0;
        double previousRecall = 0;
        for (int i = 0; i < n; i++) {
            double precision = c.tps[i] / (c.tps[i] + c.fps[i]);
            double recall = c.tps[i] / totalTp;
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
        }
        return ap;
    }
}
