package dev.runa.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void rejectsInvertedOrNonFiniteBoxes() {
        assertThrows(IllegalArgumentException.class, () -> new Box(5, 0, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new Box(0, 0, Double.NaN, 1));
    }
}
