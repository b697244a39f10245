package dev.runa.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheFoldersTest {
    @Test
    void homeComesFromTheEnvironmentAsForPythonTools() {
        // Issue 9, item 16: $HOME, not Java's user.home, unless XDG_CACHE_HOME says otherwise.
        assertEquals(
                Path.of("/home/elsewhere/.cache/runa/features"),
                CacheFolders.runa("features", Map.of("HOME", "/home/elsewhere")));
        assertEquals(
                Path.of("/xdg/runa/features"),
                CacheFolders.runa("features", Map.of("HOME", "/home/elsewhere", "XDG_CACHE_HOME", "/xdg")));
        assertEquals(
                Path.of(System.getProperty("user.home"), ".cache", "runa", "demo"),
                CacheFolders.runa("demo", Map.of()));
    }
}
