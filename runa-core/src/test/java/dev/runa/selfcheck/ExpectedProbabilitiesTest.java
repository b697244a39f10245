package dev.runa.selfcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectedProbabilitiesTest {
    @Test
    void readsDecimalsAndPercentagesWithThePrecisionTheyWerePrintedWith() {
        ExpectedProbabilities e = ExpectedProbabilities.printed(
                "src", List.of("a", "b", "c"), List.of("0.9927937", "65.31%", "0.5"), false);
        assertEquals(List.of(0.9927937, 0.6531, 0.5), e.values());
        assertEquals(5e-8, e.halfWidths().get(0), 1e-20);
        assertEquals(5e-5, e.halfWidths().get(1), 1e-18);
        assertEquals(0.05, e.halfWidths().get(2), 1e-15);
    }

    @Test
    void parsesTheCommandLineForm() {
        ExpectedProbabilities e = ExpectedProbabilities.parse("a cat, a dog,a: colon:0.7,0.2,0.1", "cli");
        assertEquals(List.of("a cat", "a dog", "a: colon"), e.labels());
        assertEquals(List.of(0.7, 0.2, 0.1), e.values());
        assertTrue(e.complete());
    }

    @Test
    void saysWhatIsWrongWithABadSpec() {
        assertMessage("no colon", "write labels, a colon", "a,b,c");
        assertMessage("count", "2 labels and 3 probabilities", "a,b:0.5,0.3,0.2");
        assertMessage("sum", "sum to 0.800000", "a,b:0.5,0.3");
        assertMessage("number", "'x' (label 'b') is not a number", "a,b:0.5,x");
        assertMessage("range", "must be in (0, 1]", "a,b:1.5,-0.5");
        assertMessage("empty", "empty item", "a,,b:0.5,0.3,0.2");
        assertMessage("repeat", "repeat a label", "a,a:0.5,0.5");
    }

    private static void assertMessage(String what, String fragment, String spec) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ExpectedProbabilities.parse(spec, "cli"), what);
        assertTrue(e.getMessage().contains(fragment), what + ": " + e.getMessage());
    }
}
