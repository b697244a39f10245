package dev.runa.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Whole folder trees on disk. Stateless. */
public final class FileTrees {
    private FileTrees() {}

    /**
     * Deletes {@code dir} and everything below it, deepest first (a benchmark's scratch folder). A
     * file that cannot be deleted is left; a missing {@code dir} is nothing to do.
     */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
