package dev.runa.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @Test
    void deletesNestedFilesAndFoldersAndIgnoresAMissingFolder(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("scratch");
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/f.txt"), "x");
        Files.writeString(dir.resolve("g.txt"), "y");
        FileTrees.delete(dir);
        assertFalse(Files.exists(dir));
        FileTrees.delete(dir); // already gone: nothing to do
        assertTrue(Files.isDirectory(tmp));
    }
}
