package dev.runa.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrecisionTest {
    @Test
    void parsesAnyCaseAndNamesTheKnownValuesOnError() {
        assertEquals(Precision.INT8, Precision.parse("int8"));
        assertEquals(Precision.FP32, Precision.parse(" FP32 "));
        assertEquals(Precision.AUTO, Precision.parse("Auto"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp16"));
        assertTrue(e.getMessage().contains("fp16") && e.getMessage().contains("int8"), e.getMessage());
    }

    @Test
    void autoResolvesToAConcretePrecision() {
        assertNotEquals(Precision.AUTO, Precision.AUTO.resolve());
        assertEquals(Precision.AUTO.resolve() == Precision.INT8, Precision.cpuHasVnni());
        assertEquals(Precision.FP32, Precision.FP32.resolve());
    }

    @Test
    void optionsDefaultToFp32AndKeepPrecisionThroughCopies() {
        EncoderOptions o = EncoderOptions.defaults();
        assertEquals(Precision.FP32, o.precision());
        assertEquals(
                Precision.INT8,
                o.withPrecision(Precision.INT8)
                        .withThreads(3)
                        .withPrepacking(false)
                        .precision());
    }
}
