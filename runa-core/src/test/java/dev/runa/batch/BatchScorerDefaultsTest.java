package dev.runa.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The default worker count against the rule written out by hand: one per 8 processors, at least one. */
class BatchScorerDefaultsTest {
    @Test
    void oneWorkerPerEightProcessorsAtLeastOne() {
        int[][] expected = {{1, 1}, {2, 1}, {7, 1}, {8, 1}, {15, 1}, {16, 2}, {17, 2}, {24, 3}, {64, 8}};
        for (int[] e : expected) {
            assertEquals(e[1], BatchScorer.defaultWorkers(e[0]), e[0] + " processors");
        }
        assertThrows(IllegalArgumentException.class, () -> BatchScorer.defaultWorkers(0));
    }
}
