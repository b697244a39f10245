package dev.runa.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.ood.Calibration;
import dev.runa.ood.ScoreKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code spark-calibrate} against {@code runa calibrate} ({@link InProcessReference#calibrate}) on
 * the same boxes: the same score, rate, sample count and settings, and the same threshold. The
 * threshold is one of the box scores, picked by the same rank (checked bit for bit on equal inputs
 * in {@link ExactThresholdTest}); the scores themselves agree within {@link SparkScoreTest#TOL}.
 */
class SparkCalibrateTest {
    @Test
    void sparkCalibrateEqualsRunaCalibrate() throws Exception {
        SparkFixture f = SparkFixture.get();
        SharedSpark.session();
        for (String[] c : new String[][] {{"0.95", "maxsim"}}) {
            Path out = f.tempDir("cal").resolve("calibration.json");
            SparkScoreTest.Run r = SparkScoreTest.cli(
                    "spark-calibrate",
                    "--images",
                    f.images.toString(),
                    "--detections",
                    f.detections.toString(),
                    "--image-list",
                    f.imageList.toString(),
                    "--min-confidence",
                    "0.1",
                    "--model",
                    f.model.toString(),
                    "--classes",
                    SparkFixture.CLASSES,
                    "--tpr",
                    c[0],
                    "--score",
                    c[1],
                    "--out",
                    out.toString());
            assertEquals(0, r.code(), r.err());
            Calibration got = Calibration.load(out);
            Calibration expected =
                    InProcessReference.calibrate(f, 0.1, Double.parseDouble(c[0]), ScoreKind.fromKey(c[1]));
            assertEquals(expected.score(), got.score());
            assertEquals(expected.idAcceptRate(), got.idAcceptRate());
            assertEquals(expected.idSamples(), got.idSamples());
            assertEquals(expected.settings(), got.settings());
            assertEquals(
                    expected.threshold(),
                    got.threshold(),
                    SparkScoreTest.TOL * Math.max(1, Math.abs(expected.threshold())),
                    c[1]);
            assertTrue(r.out().contains("calibrated " + c[1] + ": threshold"), r.out());
            assertTrue(r.out().contains("4 unscorable skipped"), r.out());
        }
    }
}
