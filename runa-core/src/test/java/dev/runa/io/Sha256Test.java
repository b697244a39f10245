package dev.runa.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the FIPS 180-2 example digests; a file larger than one read buffer digests like its text. */
class Sha256Test {
    static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void knownDigests(@TempDir Path dir) throws Exception {
        assertEquals(ABC, Sha256.of("abc"));
        assertEquals(EMPTY, Sha256.of(""));
        Path f = Files.writeString(dir.resolve("abc"), "abc");
        assertEquals(ABC, Sha256.of(f));
    }

    @Test
    void aFileSpanningSeveralBuffersDigestsLikeItsContent(@TempDir Path dir) throws Exception {
        String text = "0123456789abcdef".repeat(10_000) + "tail"; // 160 KiB: three 64 KiB reads
        Path f = Files.writeString(dir.resolve("big"), text);
        assertEquals(Sha256.of(text), Sha256.of(f));
    }
}
