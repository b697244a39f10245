package dev.runa.options;

import dev.runa.ood.Calibration;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --calibration F}: the threshold file from {@code runa calibrate}, without which rows'
 * {@code ood} is null. Help has description key {@code runa.calibration} (Spark also names
 * {@code spark-calibrate}). A mutable parse target; not thread-safe.
 */
public final class CalibrationOption {
    @Option(
            names = "--calibration",
            paramLabel = "F",
            descriptionKey = "runa.calibration",
            description = "Threshold from runa calibrate; without it 'ood' is null")
    private Path file;

    /** The file as given, or null. */
    public Path file() {
        return file;
    }

    /**
     * The calibration the file holds, or null when {@code --calibration} is not given.
     *
     * @throws IOException when the file cannot be read or is not a calibration
     */
    public Calibration load() throws IOException {
        return file == null ? null : Calibration.load(file);
    }
}
