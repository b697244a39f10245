package dev.runa.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BoxTextTest {
    @Test
    void parsesFourNumbersAndNamesThePlaceOfABadOne() {
        assertEquals(new Box(1, 2.5, 30, 40), BoxText.parse(" 1, 2.5 ,30,40", "x"));
        IllegalArgumentException few =
                assertThrows(IllegalArgumentException.class, () -> BoxText.parse("1,2,3", "--box 1,2,3"));
        assertEquals("--box 1,2,3: expected x1,y1,x2,y2 (4 numbers), found 3 values", few.getMessage());
        IllegalArgumentException nan =
                assertThrows(IllegalArgumentException.class, () -> BoxText.parse("1,a,3,4", "b.csv line 2"));
        assertEquals("b.csv line 2: 'a' is not a number", nan.getMessage());
    }
}
