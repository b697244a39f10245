package dev.runa.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Defaults follow the machine, capped; the development switches are explicit and off by default. */
class EncoderOptionsTest {
    @Test
    void defaultThreadsAreTheProcessorsUpToTheCap() {
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = EncoderOptions.defaults().intraOpThreads();
        assertEquals(Math.min(cores, EncoderOptions.MAX_DEFAULT_THREADS), threads);
        assertTrue(threads >= 1 && threads <= 8, "between 1 and 8: " + threads);
    }

    @Test
    void experimentsAreOffByDefaultAndSurviveOtherChanges() {
        EncoderOptions o = EncoderOptions.defaults();
        assertEquals(OrtExperiments.NONE, o.experiments());
        OrtExperiments e = new OrtExperiments(Map.of("session.intra_op.allow_spinning", "0"), "/tmp/p");
        EncoderOptions x = o.withExperiments(e).withThreads(3).withPrecision(Precision.INT8);
        assertEquals(e, x.experiments());
        assertTrue(x.experiments().profiling());
        assertThrows(IllegalArgumentException.class, () -> new OrtExperiments(Map.of(), " "));
    }
}
