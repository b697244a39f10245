package dev.runa.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

class RocCurveTest {

    /** Brute force: at every distinct score t (descending), the share of each set scoring >= t. */
    @Test
    void pointsEqualBruteForceCountsOnTieHeavySets() {
        Random rnd = new Random(7);
        for (int round = 0; round < 50; round++) {
            double[] id = rnd.doubles(1 + rnd.nextInt(30))
                    .map(v -> Math.round(v * 8) / 8.0)
                    .toArray();
            double[] ood = rnd.doubles(1 + rnd.nextInt(30))
                    .map(v -> Math.round(v * 6) / 6.0)
                    .toArray();
            double[] thresholds = DoubleStream.concat(Arrays.stream(id), Arrays.stream(ood))
                    .distinct()
                    .sorted()
                    .toArray();
            RocCurve c = RocCurve.of(id, ood);
            assertEquals(thresholds.length + 1, c.fpr().length);
            assertEquals(0.0, c.fpr()[0]);
            assertEquals(0.0, c.tpr()[0]);
            for (int i = 0; i < thresholds.length; i++) {
                double t = thresholds[thresholds.length - 1 - i];
                assertEquals(
                        Arrays.stream(ood).filter(v -> v >= t).count() / (double) ood.length, c.fpr()[i + 1], 1e-15);
                assertEquals(Arrays.stream(id).filter(v -> v >= t).count() / (double) id.length, c.tpr()[i + 1], 1e-15);
            }
        }
    }
}
