package dev.runa.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runa.ood.Calibration;
import dev.runa.ood.FusionMode;
import dev.runa.ood.ScoreKind;
import dev.runa.ood.ScoringSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** --calibration F: not given is null; given, the file's calibration. */
class CalibrationOptionTest {
    @TempDir
    Path tmp;

    @Command(name = "t")
    static final class Host {
        @Mixin
        CalibrationOption calibration;
    }

    private static CalibrationOption parse(String... args) {
        Host h = new Host();
        EntryPoint.commandLine(h, Throwable::getMessage).parseArgs(args);
        return h.calibration;
    }

    @Test
    void notGivenIsNoCalibration() throws IOException {
        assertNull(parse().file());
        assertNull(parse().load());
    }

    @Test
    void givenIsTheFilesCalibration() throws IOException {
        Calibration c = Calibration.fit(
                new double[] {5, 3, 1, 4, 2},
                ScoreKind.MAXSIM,
                0.8,
                new ScoringSettings(
                        "random:tiny", List.of("a photo of a cat"), 0.5, FusionMode.EARLY, "margin=0", "none"));
        Path file = tmp.resolve("cal.json");
        c.save(file);
        CalibrationOption o = parse("--calibration", file.toString());
        assertEquals(file, o.file());
        assertEquals(c, o.load());
        assertThrows(
                IOException.class,
                () -> parse("--calibration", tmp.resolve("none.json").toString())
                        .load());
        assertThrows(CommandLine.ParameterException.class, () -> parse("--calibration"));
    }
}
