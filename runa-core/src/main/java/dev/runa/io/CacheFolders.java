package dev.runa.io;

import java.nio.file.Path;

/**
 * Where runa keeps what it can recompute (feature caches, demo photos): the one place that decides
 * it, following the XDG convention as the Hugging Face cache does.
 */
public final class CacheFolders {
    private CacheFolders() {}

    /** {@code $XDG_CACHE_HOME/runa/NAME}, else {@code $HOME/.cache/runa/NAME}. */
    public static Path runa(String name) {
        return runa(name, System.getenv());
    }

    /**
     * As {@link #runa(String)} for the given environment. {@code $HOME} wins over Java's
     * {@code user.home} (which comes from the password database), as it does for Python tools.
     */
    public static Path runa(String name, java.util.Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        String home = env.get("HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".cache");
        return base.resolve("runa").resolve(name);
    }

    /** The feature cache shared by {@code finetune} and {@code eval}. */
    public static Path features() {
        return runa("features");
    }
}
