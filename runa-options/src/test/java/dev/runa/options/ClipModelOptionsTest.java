package dev.runa.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.Precision;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

/** --model, --threads, --precision: parsed, and turned into the library's EncoderOptions. */
class ClipModelOptionsTest {
    @Test
    void defaultsAreTheLibrarys() {
        ClipModelOptions o = Parsing.parse().model;
        assertEquals(ClipLoader.DEFAULT_MODEL, o.model());
        assertEquals(EncoderOptions.defaultThreads(), o.threads());
        assertEquals(Precision.FP32, o.precision());
        EncoderOptions e = o.encoderOptions(3);
        assertEquals(3, e.intraOpThreads());
        assertEquals(Precision.FP32, e.precision());
        assertEquals(Precision.FP32, new ClipModelOptions().precision(), "an unparsed mixin is fp32, not null");
    }

    @Test
    void givenValuesReachTheEncoderOptions() {
        ClipModelOptions o = Parsing.parse("--model", "random:tiny", "--threads", "5", "--precision", "INT8").model;
        assertEquals("random:tiny", o.model());
        assertEquals(5, o.threads());
        EncoderOptions e = o.encoderOptions(o.threads());
        assertEquals(5, e.intraOpThreads());
        assertEquals(Precision.INT8, e.precision());
        assertEquals(Precision.AUTO, Parsing.parse("--precision", "auto").model.precision());
    }

    @Test
    void badValuesAreUsageErrorsNamingTheFlag() {
        ParameterException p = assertThrows(ParameterException.class, () -> Parsing.parse("--precision", "fp8"));
        assertEquals(
                "Invalid value for option '--precision': cannot convert 'fp8' to Precision"
                        + " (java.lang.IllegalArgumentException: --precision: unknown value 'fp8' (known: fp32, int8, auto))",
                p.getMessage());
        ParameterException t = assertThrows(ParameterException.class, () -> Parsing.parse("--threads", "many"));
        assertTrue(t.getMessage().contains("'--threads'"), t.getMessage());
    }
}
