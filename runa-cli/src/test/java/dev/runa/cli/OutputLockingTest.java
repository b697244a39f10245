package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.io.OutputLock;
import dev.runa.output.ResumableFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command that writes an output refuses at once while another run holds it (issue 9, item 1). */
class OutputLockingTest {
    @TempDir
    Path tmp;

    private void assertRefused(Path out, String... args) throws Exception {
        try (OutputLock holder = OutputLock.acquire(out, "runa score (the first run)")) {
            List<String> a = new ArrayList<>(List.of(args));
            a.addAll(List.of("--out", out.toString()));
            CliRunner.Result r = CliRunner.run(a.toArray(String[]::new));
            assertNotEquals(0, r.exitCode(), r.err());
            assertTrue(r.err().contains(out.toString()), r.err());
            assertTrue(r.err().contains("pid " + ProcessHandle.current().pid()), r.err());
            assertTrue(r.err().contains("runa score (the first run)"), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            assertFalse(Files.exists(ResumableFile.partialOf(out)), "the refused run wrote nothing");
            assertFalse(Files.exists(out), "the refused run wrote nothing");
        }
    }

    @Test
    void scoreRefusesAnOutputAnotherRunWrites() throws Exception {
        assertRefused(
                tmp.resolve("scores.jsonl"), "score", "--model", "random:tiny", "--image", "x.png", "--box", "1,1,5,5");
    }

    @Test
    void calibrateRefusesAnOutputAnotherRunWrites() throws Exception {
        assertRefused(
                tmp.resolve("cal.json"), "calibrate", "--model", "random:tiny", "--image", "x.png", "--box", "1,1,5,5");
    }

    @Test
    void evalRefusesAFolderAnotherRunWrites() throws Exception {
        String set = "s:gt=a.json,images=i,detections=d.json";
        assertRefused(
                tmp.resolve("report"),
                "eval",
                "--model",
                "random:tiny",
                "--id",
                set,
                "--ood",
                "o" + set.substring(1),
                "--min-confidence",
                "0.5");
    }

    @Test
    void finetuneRefusesAnAdapterAnotherRunWrites() throws Exception {
        assertRefused(
                tmp.resolve("a.safetensors"),
                "finetune",
                "--model",
                "random:tiny",
                "--gt",
                "gt.json",
                "--classes",
                "a,b");
    }
}
