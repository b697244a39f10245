package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runa.clip.Precision;
import dev.runa.data.MalformedDataException;
import dev.runa.output.RowFormat;
import dev.runa.settings.SettingException;
import dev.runa.settings.SettingMessage;
import org.junit.jupiter.api.Test;

/** The library names settings; the command line says flags, in the same words as before the split. */
class CliFlagsTest {
    @Test
    void settingNamesBecomeFlags() {
        assertEquals("--model", CliFlags.of("model"));
        assertEquals("--min-confidence", CliFlags.of("minConfidence"));
        assertEquals("--gt-format", CliFlags.of("groundTruthFormat"));
    }

    @Test
    void libraryMessagesNameFieldsAndTheCliNamesFlags() {
        SettingException e = assertThrows(SettingException.class, () -> RowFormat.named("xml", false));
        assertEquals("format: unknown format 'xml' (known: jsonl, csv)", e.getMessage());
        assertEquals("--format: unknown format 'xml' (known: jsonl, csv)", UserErrors.describe(e));

        SettingException p = assertThrows(SettingException.class, () -> Precision.parse("fp8"));
        assertEquals("--precision: unknown value 'fp8' (known: fp32, int8, auto)", UserErrors.describe(p));

        MalformedDataException gt = new MalformedDataException(
                new SettingMessage("x.json: not COCO (give ", "groundTruthFormat", " to override)"));
        assertEquals("x.json: not COCO (give groundTruthFormat to override)", gt.getMessage());
        assertEquals("x.json: not COCO (give --gt-format to override)", UserErrors.describe(gt));
    }

    @Test
    void unknownPrecisionReadsAsBefore() {
        CliRunner.Result r = CliRunner.run("embed", "--model", "random:tiny", "--precision", "foo", "--text", "a");
        assertEquals(2, r.exitCode());
        assertEquals(
                "runa: Invalid value for option '--precision': cannot convert 'foo' to Precision"
                        + " (java.lang.IllegalArgumentException: --precision: unknown value 'foo' (known: fp32, int8, auto))",
                r.err().lines().findFirst().orElseThrow());
    }
}
