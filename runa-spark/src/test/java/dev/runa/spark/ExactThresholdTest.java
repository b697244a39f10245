package dev.runa.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runa.ood.Calibration;
import dev.runa.ood.FusionMode;
import dev.runa.ood.ScoreKind;
import dev.runa.ood.ScoringSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * {@link ExactThreshold} against {@link Calibration#fit} (a full sort on one machine) on the same
 * values: equal to the last bit, with ties, for rates whose rank falls anywhere (first, last, inside
 * a run of equal values), on several partitions.
 */
class ExactThresholdTest {
    static final ScoringSettings SETTINGS = new ScoringSettings("m", List.of("a"), 0.5, FusionMode.EARLY, "v", "none");

    @Test
    void equalsTheSortedSelectionOfCalibrationFit() {
        SparkSession spark = SharedSpark.session();
        Random rnd = new Random(3);
        StructType schema = new StructType().add("score", DataTypes.DoubleType, false);
        for (int n : new int[] {1, 7, 20, 6000}) {
            double[] values = new double[n];
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // Few distinct values for small n... and many ties for large n (two decimals).
                values[i] = i % 3 == 0 ? Math.round(rnd.nextGaussian() * 100) / 100.0 : rnd.nextGaussian();
                rows.add(RowFactory.create(values[i]));
            }
            Dataset<Row> table =
                    spark.createDataFrame(rows, schema).repartition(5).cache();
            for (double rate : n == 6000 ? new double[] {0.01, 0.95, 0.999, 1.0} : new double[] {0.5, 0.95}) {
                double expected = Calibration.fit(values, ScoreKind.MAXSIM, rate, SETTINGS)
                        .threshold();
                long k = Calibration.acceptedCount(n, rate);
                assertEquals(
                        expected, ExactThreshold.kthLargest(table, "score", n, k), 0.0, "n=" + n + " rate=" + rate);
            }
        }
    }
}
