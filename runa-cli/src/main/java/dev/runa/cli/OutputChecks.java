package dev.runa.cli;

import dev.runa.io.OutputLocations;
import java.nio.file.Path;

/** Checks a command's output options before any work, naming the option in the message. */
final class OutputChecks {
    private OutputChecks() {}

    /** {@code option} (e.g. "--out") names a file that can be written; nothing to check when null. */
    static void file(String option, Path path) {
        if (path != null) {
            try {
                OutputLocations.requireWritableFile(path);
            } catch (OutputLocations.Unusable e) {
                throw new IllegalArgumentException(option + " " + e.getMessage(), e);
            }
        }
    }

    /** {@code option} (e.g. "--annotate") names a folder that can be written; nothing to check when null. */
    static void folder(String option, Path path) {
        if (path != null) {
            try {
                OutputLocations.requireWritableFolder(path);
            } catch (OutputLocations.Unusable e) {
                throw new IllegalArgumentException(option + " " + e.getMessage(), e);
            }
        }
    }
}
