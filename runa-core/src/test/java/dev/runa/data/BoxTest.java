package dev.runa.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoxTest {
    @Test
    void xywhConversionAndIou() {
        Box a = Box.fromXywh(0, 0, 10, 10);
        Box b = Box.fromXywh(5, 0, 10, 10);
        assertEquals(new Box(0, 0, 10, 10), a);
        assertEquals(100, a.area(), 0);
        // Overlap 5x10 = 50, union 150: exact in binary, so no tolerance is needed.
        assertEquals(50.0 / 150, a.iou(b), 0);
        assertEquals(0, a.iou(Box.fromXywh(20, 20, 1, 1)), 0);
        assertEquals(1, a.iou(a), 0);
    }

    @Test
    void flagsInvertedOrNonFiniteBoxesAsImproper() {
        assertFalse(new Box(5, 0, 4, 1).isProper());
        assertFalse(new Box(0, 0, Double.NaN, 1).isProper());
        assertFalse(new Box(0, 0, 1, Double.POSITIVE_INFINITY).isProper());
        assertTrue(new Box(0, 0, 0, 0).isProper()); // empty but not inverted: views report it as having no area
    }
}
