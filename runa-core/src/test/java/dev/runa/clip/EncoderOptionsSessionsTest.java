package dev.runa.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EncoderOptionsSessionsTest {
    @Test
    void oneDefaultSessionPerFourThreadsAndOneOnSmallMachines() {
        for (int threads = 1; threads <= 256; threads++) {
            // Independent statement of the rule: the most sessions that each get at least 4 threads, at least 1.
            int expected = 1;
            while ((expected + 1) * 4 <= threads) {
                expected++;
            }
            int s = EncoderOptions.defaultSessions(threads);
            assertEquals(expected, s, threads + " threads");
            int perSession = EncoderOptions.defaults()
                    .withThreads(threads)
                    .withSessions(s)
                    .threadsPerSession();
            assertTrue(threads < 4 || perSession >= 4, threads + " threads: " + perSession + " per session");
            assertTrue(s * perSession <= threads, "sessions never oversubscribe the threads");
        }
        // The 2-core reference machine (and anything up to 7 threads) keeps one session: its figures
        // do not change; 16 threads take the 4 sessions measured in docs/performance.md.
        for (int threads = 1; threads < 8; threads++) {
            assertEquals(1, EncoderOptions.defaultSessions(threads));
        }
        assertEquals(4, EncoderOptions.defaultSessions(16));
    }

    @Test
    void rejectsNoThreads() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> EncoderOptions.defaultSessions(0));
        assertTrue(e.getMessage().contains("threads"), e.getMessage());
    }
}
