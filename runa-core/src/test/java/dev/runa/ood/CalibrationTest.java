package dev.runa.ood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationTest {
    private static final ScoringSettings SETTINGS =
            new ScoringSettings("random:tiny", List.of("a photo of a cat"), 0.5, FusionMode.EARLY, "margin=0", "none");

    @Test
    void acceptsNinetyFivePercentOfTwentyIdScores() {
        double[] scores = new double[20];
        for (int i = 0; i < 20; i++) {
            scores[i] = i + 1; // 1..20
        }
        Calibration c = Calibration.fit(scores, ScoreKind.MAXSIM, 0.95, SETTINGS);
        // k = ceil(0.95 * 20) = 19 accepted: the threshold is the 19th highest, i.e. 2.
        assertEquals(2.0, c.threshold());
        int accepted = 0;
        for (double s : scores) {
            if (!c.isOod(new BoxScores(s, 0, 0, 0, 0, 0))) {
                accepted++;
            }
        }
        assertEquals(19, accepted);
    }

    @Test
    void roundsTheAcceptedCountUp() {
        // ceil(0.95 * 7) = 7: with fewer than 20 samples every ID box is accepted.
        Calibration c = Calibration.fit(new double[] {5, 3, 1, 4, 2, 7, 6}, ScoreKind.SUM, 0.95, SETTINGS);
        assertEquals(1.0, c.threshold());
        Calibration half = Calibration.fit(new double[] {5, 3, 1, 4, 2, 7, 6}, ScoreKind.SUM, 0.5, SETTINGS);
        assertEquals(4.0, half.threshold()); // ceil(3.5) = 4 accepted: 7, 6, 5, 4
    }

    @Test
    void tiesAtTheThresholdAreAccepted() {
        Calibration c = Calibration.fit(new double[] {1, 1, 1, 1}, ScoreKind.MAXSIM, 0.5, SETTINGS);
        assertFalse(c.isOod(new BoxScores(1, 0, 0, 0, 0, 0)));
        assertTrue(c.isOod(new BoxScores(0.999, 0, 0, 0, 0, 0)));
    }

    @Test
    void roundTripsThroughAFileAndRefusesOtherSettings(@TempDir Path dir) throws Exception {
        Calibration c = Calibration.fit(new double[] {0.1, 0.2, 0.3}, ScoreKind.MCM_T001, 0.9, SETTINGS);
        Path f = dir.resolve("cal.json");
        c.save(f);
        Calibration back = Calibration.load(f);
        assertEquals(c, back);
        back.requireCompatible(SETTINGS);
        ScoringSettings other = new ScoringSettings(
                "random:tiny", List.of("a photo of a cat"), 1.0, FusionMode.EARLY, "margin=0", "none");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> back.requireCompatible(other));
        assertTrue(e.getMessage().contains("lambda"), e.getMessage());
    }

    @Test
    void rejectsBadInputWithClearErrors(@TempDir Path dir) throws Exception {
        assertThrows(
                IllegalArgumentException.class, () -> Calibration.fit(new double[0], ScoreKind.MAXSIM, 0.95, SETTINGS));
        assertThrows(
                IllegalArgumentException.class,
                () -> Calibration.fit(new double[] {Double.NaN}, ScoreKind.MAXSIM, 0.95, SETTINGS));
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"format\": \"something-else\"}");
        Exception e = assertThrows(IOException.class, () -> Calibration.load(f));
        assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
    }

    @Test
    void refusesACalibrationMadeAtAnotherPrecision(@TempDir Path dir) throws Exception {
        Calibration fp32 = Calibration.fit(new double[] {0.1, 0.2}, ScoreKind.MAXSIM, 0.95, SETTINGS);
        Path f = dir.resolve("cal.json");
        fp32.save(f);
        ScoringSettings int8 = new ScoringSettings(
                SETTINGS.model(),
                SETTINGS.prompts(),
                SETTINGS.lambda(),
                SETTINGS.fusion(),
                SETTINGS.views(),
                SETTINGS.adapter(),
                "int8");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Calibration.load(f).requireCompatible(int8));
        assertTrue(e.getMessage().contains("precision"), e.getMessage());
    }
}
