package dev.runa.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The exact k-th largest value of a numeric column, found with a few Spark passes and without
 * collecting the column: Spark's approximate quantiles (Greenwald-Khanna, rank error at most
 * {@code eps * n}) bracket the wanted rank, one pass counts the values below and inside the bracket,
 * and only the bracket's values (about {@code 4 * eps * n}) come to the driver, where the exact value
 * is picked by rank. If the bracket misses the rank (it cannot, by the sketch's guarantee, but the
 * answer must not depend on it) it is widened to one side and counted again.
 */
final class ExactThreshold {
    /** Rank error of the quantile sketch, as a fraction of the rows. */
    static final double EPS = 1e-3;

    private ExactThreshold() {}

    /**
     * The {@code k}-th largest value ({@code k} from 1) of {@code column} over {@code n} rows, none
     * of them null or NaN; equal to {@code sorted[n - k]} of the ascending values.
     */
    static double kthLargest(Dataset<Row> values, String column, long n, long k) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("rank " + k + " is outside 1.." + n);
        }
        long rank = n - k; // 0-based, ascending
        double p = (double) rank / n;
        double[] q = values.stat()
                .approxQuantile(column, new double[] {Math.max(0, p - 2 * EPS), Math.min(1, p + 2 * EPS)}, EPS);
        double lo = q[0];
        double hi = q[1];
        Column v = col(column);
        for (int attempt = 0; ; attempt++) {
            Row c = values.agg(
                            sum(when(v.lt(lit(lo)), 1L).otherwise(0L)),
                            count(when(v.geq(lit(lo)).and(v.leq(lit(hi))), 1)))
                    .first();
            long below = c.isNullAt(0) ? 0 : c.getLong(0);
            long inside = c.getLong(1);
            if (below <= rank && rank < below + inside) {
                List<Row> rows = values.select(v)
                        .where(v.geq(lit(lo)).and(v.leq(lit(hi))))
                        .collectAsList();
                double[] bracket = new double[rows.size()];
                for (int i = 0; i < bracket.length; i++) {
                    bracket[i] = rows.get(i).getDouble(0);
                }
                Arrays.sort(bracket);
                return bracket[(int) (rank - below)];
            }
            if (attempt == 2) {
                throw new IllegalStateException("cannot bracket rank " + rank + " of " + n + " values");
            }
            if (rank < below) {
                lo = Double.NEGATIVE_INFINITY;
            } else {
                hi = Double.POSITIVE_INFINITY;
            }
        }
    }
}
