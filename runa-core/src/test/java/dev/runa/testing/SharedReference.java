package dev.runa.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the golden reference data in {@code ../shared} (next to the checkout; override with
 * {@code -Druna.shared=DIR}). Tests that need it call {@link #require(String)}, which skips the
 * test with a clear message on a fresh clone that has no {@code ../shared}.
 */
public final class SharedReference {
    private SharedReference() {}

    /** The shared folder, whether or not it exists. */
    public static Path root() {
        return Path.of(System.getProperty("runa.shared", "../shared"))
                .toAbsolutePath()
                .normalize();
    }

    /** The path {@code ../shared/RELATIVE}; skips the calling test when it is absent. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        Assumptions.assumeTrue(
                Files.exists(p),
                "skipped: reference data " + p + " is absent (../shared is not next to this checkout)");
        return p;
    }
}
