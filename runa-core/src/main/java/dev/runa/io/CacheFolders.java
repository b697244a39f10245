package dev.runa.io;

import java.nio.file.Path;

/**
 * Where runa keeps what it can recompute (feature caches, demo photos): the one place that decides
 * it, following the XDG convention as the Hugging Face cache does.
 */
public final class CacheFolders {
    private CacheFolders() {}

    /** {@code $XDG_CACHE_HOME/runa/NAME}, else {@code ~/.cache/runa/NAME}. */
    public static Path runa(String name) {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("runa").resolve(name);
    }

    /** The feature cache shared by {@code finetune} and {@code eval}. */
    public static Path features() {
        return runa("features");
    }
}
