package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9, item 14: output locations are checked before any work, naming the option and the problem. */
class OutputChecksCliTest {
    @TempDir
    Path tmp;

    private void assertRefused(String expected, String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        // Refused before the model is loaded or any image read: "x.png" does not even exist.
        assertTrue(!r.err().contains("x.png"), r.err());
    }

    @Test
    void outputsNamingTheWrongKindOfThingAreRefusedUpFront() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("a-folder"));
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        String[] one = {"--model", "random:tiny", "--image", "x.png", "--box", "1,1,5,5"};
        assertRefused(
                "--out " + folder + ": is a folder, not a file", concat("score", one, "--out", folder.toString()));
        assertRefused(
                "--annotate " + file + ": is a file, not a folder",
                concat("score", one, "--annotate", file.toString()));
        assertRefused("--out " + folder, concat("calibrate", one, "--out", folder.toString()));
        assertRefused(
                "--annotate " + file.resolve("sub") + ": " + file + " is a file",
                concat("score", one, "--annotate", file.resolve("sub").toString()));
        String set = "s:gt=a.json,images=i,detections=d.json";
        assertRefused(
                "--out " + file + ": is a file, not a folder",
                "eval",
                "--model",
                "random:tiny",
                "--id",
                set,
                "--ood",
                "o" + set.substring(1),
                "--min-confidence",
                "0.5",
                "--out",
                file.toString());
        assertRefused(
                "--cache " + file + ": is a file, not a folder",
                "finetune",
                "--gt",
                "gt.json",
                "--classes",
                "a,b",
                "--out",
                tmp.resolve("a.safetensors").toString(),
                "--cache",
                file.toString());
    }

    @Test
    void anUnwritableFolderIsRefusedUpFront() throws Exception {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere");
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertRefused(
                    "folder " + ro + " is not writable",
                    "score",
                    "--model",
                    "random:tiny",
                    "--image",
                    "x.png",
                    "--box",
                    "1,1,5,5",
                    "--out",
                    ro.resolve("s.jsonl").toString());
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static String[] concat(String command, String[] middle, String... tail) {
        String[] out = new String[1 + middle.length + tail.length];
        out[0] = command;
        System.arraycopy(middle, 0, out, 1, middle.length);
        System.arraycopy(tail, 0, out, 1 + middle.length, tail.length);
        return out;
    }
}
