package dev.runa.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runa.clip.checkpoint.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9, item 13: outputs get the permissions the umask gives any new file, not 0600. */
class AtomicFilePermissionsTest {
    @TempDir
    Path dir;

    private Set<PosixFilePermission> umaskDefault() throws Exception {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        return Files.getPosixFilePermissions(Files.createFile(dir.resolve("reference")));
    }

    @Test
    void atomicWritesHonourTheUmask() throws Exception {
        Set<PosixFilePermission> expected = umaskDefault();
        Path f = dir.resolve("calibration.json");
        AtomicFile.write(f, new byte[] {'{', '}'});
        assertEquals(expected, Files.getPosixFilePermissions(f));
        AtomicFile.write(f, new byte[] {'[', ']'}); // replacing keeps them too
        assertEquals(expected, Files.getPosixFilePermissions(f));
    }

    @Test
    void safetensorsWritesHonourTheUmask() throws Exception {
        Set<PosixFilePermission> expected = umaskDefault();
        Path f = dir.resolve("adapter.safetensors");
        SafetensorsWriter w = new SafetensorsWriter();
        w.addF32("x", new long[] {2}, new float[] {1, 2});
        w.write(f);
        assertEquals(expected, Files.getPosixFilePermissions(f));
    }
}
