package dev.runa.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

class OodMetricsTest {

    /** Hand-worked cases are sums of a few exact fractions: only rounding of ~10 operations remains. */
    private static final double EXACT = 1e-12;

    @Test
    void goldenFileMatchesScikitLearnAndVos() throws Exception {
        Path csv =
                Path.of(OodMetricsTest.class.getResource("scores_example.csv").toURI());
        Properties expected = new Properties();
        try (InputStream in = OodMetricsTest.class.getResourceAsStream("scores_example.expected.properties")) {
            expected.load(in);
        }
        OodMetrics m = ScoresCsv.read(csv).metrics();
        assertEquals(Integer.parseInt(expected.getProperty("n_id")), m.nId());
        assertEquals(Integer.parseInt(expected.getProperty("n_ood")), m.nOod());
        // The reference prints 6 decimals: agreement within half a unit of the last digit.
        double printed = 5e-7;
        assertEquals(Double.parseDouble(expected.getProperty("auroc")), m.auroc(), printed);
        assertEquals(Double.parseDouble(expected.getProperty("aupr_in")), m.auprIn(), printed);
        assertEquals(Double.parseDouble(expected.getProperty("aupr_out")), m.auprOut(), printed);
        assertEquals(Double.parseDouble(expected.getProperty("fpr95")), m.fpr95(), printed);
        assertEquals(Double.parseDouble(expected.getProperty("fpr95_strict")), m.fpr95Strict(), printed);
    }

    @Test
    void perfectlySeparated() {
        OodMetrics m = OodMetrics.compute(new double[] {3, 4}, new double[] {1, 2});
        assertEquals(1.0, m.auroc(), EXACT);
        assertEquals(1.0, m.auprIn(), EXACT);
        assertEquals(1.0, m.auprOut(), EXACT);
        assertEquals(0.0, m.fpr95(), EXACT);
        assertEquals(0.0, m.fpr95Strict(), EXACT);
    }

    @Test
    void reversed() {
        OodMetrics m = OodMetrics.compute(new double[] {1, 2}, new double[] {3, 4});
        assertEquals(0.0, m.auroc(), EXACT);
        // Descending: 4 ood, 3 ood, 2 id (P 1/3, R 1/2), 1 id (P 2/4, R 1).
        assertEquals(0.5 / 3 + 0.5 * 0.5, m.auprIn(), EXACT);
        // OOD positive, negated: the mirror image, same 5/12.
        assertEquals(0.5 / 3 + 0.5 * 0.5, m.auprOut(), EXACT);
        assertEquals(1.0, m.fpr95(), EXACT);
        assertEquals(1.0, m.fpr95Strict(), EXACT);
    }

    @Test
    void allScoresEqualGiveOnePoint() {
        OodMetrics m = OodMetrics.compute(new double[] {5, 5, 5}, new double[] {5, 5});
        assertEquals(0.5, m.auroc(), EXACT);
        assertEquals(3.0 / 5, m.auprIn(), EXACT);
        assertEquals(2.0 / 5, m.auprOut(), EXACT);
        assertEquals(1.0, m.fpr95(), EXACT);
        assertEquals(1.0, m.fpr95Strict(), EXACT);
    }

    @Test
    void tiesAcrossClassesCountOneHalf() {
        // Points (threshold: tp, fp): 0.9: 1,0; 0.5: 3,1; 0.3: 3,2; 0.1: 4,2.
        OodMetrics m = OodMetrics.compute(new double[] {0.9, 0.5, 0.5, 0.1}, new double[] {0.5, 0.3});
        assertEquals(5.0 / 8, m.auroc(), EXACT); // pairs: 4 wins + 2 ties of 8
        assertEquals(0.25 * 1 + 0.5 * (3.0 / 4) + 0 + 0.25 * (4.0 / 6), m.auprIn(), EXACT);
        // OOD positive, negated: -0.3 (P 1/1... ) order: -0.1 id, -0.3 ood, -0.5 {2 id, 1 ood}, -0.9 id.
        // Points: -0.1: tp0 fp1; -0.3: tp1 fp1 (P 1/2, R 1/2); -0.5: tp2 fp3 (P 2/5, R 1); -0.9: R 1.
        assertEquals(0.5 * 0.5 + 0.5 * 0.4, m.auprOut(), EXACT);
        assertEquals(1.0, m.fpr95(), EXACT);
        assertEquals(1.0, m.fpr95Strict(), EXACT);
    }

    @Test
    void singleOodSample() {
        OodMetrics m = OodMetrics.compute(new double[] {1, 2, 3, 4}, new double[] {2.5});
        assertEquals(0.5, m.auroc(), EXACT);
        assertEquals(0.25 + 0.25 + 0.25 * 0.75 + 0.25 * 0.8, m.auprIn(), EXACT);
        assertEquals(1.0 / 3, m.auprOut(), EXACT);
        assertEquals(1.0, m.fpr95(), EXACT);
        assertEquals(1.0, m.fpr95Strict(), EXACT);
    }

    @Test
    void vosTakesTheLowestThresholdAtTheClosestRecall() {
        // 20 ID scores 20..1, OOD {30, 1.5, 1.2}: recall 19/20 = 0.95 holds at thresholds 2, 1.5 and 1.2.
        // VOS walks the curve from the lowest threshold and takes the first, i.e. 1.2 with 3 false
        // positives; the strict rule takes threshold 2 (the 19th ID score) with 1.
        double[] id = new double[20];
        for (int i = 0; i < 20; i++) {
            id[i] = 20 - i;
        }
        double[] ood = {30, 1.5, 1.2};
        assertEquals(1.0, FprAtRecall.vos(id, ood, 0.95), EXACT);
        assertEquals(1.0 / 3, FprAtRecall.strict95(id, ood), EXACT);
    }

    @Test
    void vosMayPickARecallBelowTheLevel() {
        // 10 ID scores 10..1 and one OOD tied with the lowest: recall jumps 0.9 -> 1.0. In binary floating
        // point |0.9 - 0.95| < |1.0 - 0.95|, so VOS takes recall 0.9 (no false positive); the strict rule
        // needs all 10 ID (k = ceil(9.5)) and accepts the tied OOD score.
        double[] id = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
        double[] ood = {1};
        assertEquals(0.0, FprAtRecall.vos(id, ood, 0.95), EXACT);
        assertEquals(1.0, FprAtRecall.strict95(id, ood), EXACT);
    }

    @Test
    void strictUsesCeilingOfNinetyFivePercent() {
        // n = 21: k = ceil(19.95) = 20 -> t = 2 (scores 21..1); OOD {2, 1.5}: 1 of 2 at or above.
        double[] id = new double[21];
        for (int i = 0; i < 21; i++) {
            id[i] = 21 - i;
        }
        assertEquals(0.5, FprAtRecall.strict95(id, new double[] {2, 1.5}), EXACT);
    }

    @Test
    void randomDataAgreesWithBruteForce() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int nId = 1 + rnd.nextInt(60);
            int nOod = 1 + rnd.nextInt(60);
            // Rounded scores force many ties within and across classes.
            int levels = 1 + rnd.nextInt(20);
            double[] id = new double[nId];
            double[] ood = new double[nOod];
            for (int i = 0; i < nId; i++) {
                id[i] = Math.round(rnd.nextGaussian() * levels / 3 + 1) / (double) levels;
            }
            for (int i = 0; i < nOod; i++) {
                ood[i] = Math.round(rnd.nextGaussian() * levels / 3) / (double) levels;
            }
            OodMetrics m = OodMetrics.compute(id, ood);
            // Sums of at most ~120 rounded terms in [0, 1]: error below 1e-13; 1e-12 leaves margin.
            assertEquals(BruteForce.pairwiseAuroc(id, ood), m.auroc(), 1e-12, "trial " + trial);
            assertEquals(BruteForce.averagePrecision(id, ood), m.auprIn(), 1e-12, "trial " + trial);
            assertEquals(BruteForce.averagePrecision(negate(ood), negate(id)), m.auprOut(), 1e-12);
            assertEquals(BruteForce.vosFpr(id, ood, 0.95), m.fpr95(), 0.0, "trial " + trial);
            assertEquals(BruteForce.strictFpr95(id, ood), m.fpr95Strict(), 0.0, "trial " + trial);
            assertTrue(m.fpr95() >= 0 && m.fpr95() <= 1);
        }
    }

    @Test
    void emptyOrNonFiniteInputIsRejectedWithAClearMessage() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> OodMetrics.compute(new double[0], new double[] {1}));
        assertTrue(e.getMessage().contains("ID score set is empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OodMetrics.compute(new double[] {1}, new double[0]));
        assertTrue(e.getMessage().contains("OOD score set is empty"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> OodMetrics.compute(new double[] {1, Double.NaN}, new double[] {0}));
        assertTrue(e.getMessage().contains("ID score #1 is NaN"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> OodMetrics.compute(new double[] {1}, new double[] {Double.NEGATIVE_INFINITY}));
        assertTrue(e.getMessage().contains("OOD score #0"), e.getMessage());
    }

    private static double[] negate(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
        }
        return out;
    }

    /** Definitions written from scratch by counting, without the shared sorted-curve code. */
    static final class BruteForce {
        static double pairwiseAuroc(double[] pos, double[] neg) {
            double wins = 0;
            for (double p : pos) {
                for (double n : neg) {
                    wins += p > n ? 1 : p == n ? 0.5 : 0;
                }
            }
            return wins / ((double) pos.length * neg.length);
        }

        static double[] distinctDescending(double[] a, double[] b) {
            return DoubleStream.concat(Arrays.stream(a), Arrays.stream(b))
                    .distinct()
                    .boxed()
                    .sorted(Comparator.reverseOrder())
                    .mapToDouble(Double::doubleValue)
                    .toArray();
        }

        static int countAtLeast(double[] v, double t) {
            int c = 0;
            for (double x : v) {
                if (x >= t) {
                    c++;
                }
            }
            return c;
        }

        static double averagePrecision(double[] pos, double[] neg) {
            double ap = 0;
            double prevRecall = 0;
            for (double t : distinctDescending(pos, neg)) {
                int tp = countAtLeast(pos, t);
                int fp = countAtLeast(neg, t);
                double recall = (double) tp / pos.length;
                ap += (recall - prevRecall) * ((double) tp / (tp + fp));
                prevRecall = recall;
            }
            return ap;
        }

        static double vosFpr(double[] pos, double[] neg, double level) {
            double[] thr = distinctDescending(pos, neg);
            List<double[]> points = new ArrayList<>(); // {recall, fp}
            for (double t : thr) {
                int tp = countAtLeast(pos, t);
                points.add(new double[] {(double) tp / tp(pos), countAtLeast(neg, t)});
                if (tp == pos.length) {
                    break;
                }
            }
            Collections.reverse(points);
            points.add(new double[] {1, 0});
            int best = 0;
            for (int i = 1; i < points.size(); i++) {
                if (Math.abs(points.get(i)[0] - level) < Math.abs(points.get(best)[0] - level)) {
                    best = i;
                }
            }
            return points.get(best)[1] / neg.length;
        }

        private static double tp(double[] pos) {
            return pos.length;
        }

        static double strictFpr95(double[] pos, double[] neg) {
            // Smallest threshold among ID scores that keeps at least 95% of ID (count, not ceil).
            double best = Double.NaN;
            for (double t : pos) {
                if (countAtLeast(pos, t) * 100 >= 95 * pos.length && (Double.isNaN(best) || t > best)) {
                    best = t;
                }
            }
            return (double) countAtLeast(neg, best) / neg.length;
        }
    }
}
