package dev.runa.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Letterbox geometry and {@code scale_boxes} against values worked out by hand from Ultralytics' formulas. */
class LetterboxTest {
    @Test
    void hdFrameInto640() {
        // 1280 x 720: r = 0.5, 640 x 360, dh = 280 -> top round(139.9) = 140; scale_boxes pad round(139.9) = 140.
        Letterbox b = new Letterbox(1280, 720, 640, 640, false);
        assertEquals(640, b.newWidth());
        assertEquals(360, b.newHeight());
        assertEquals(0, b.left());
        assertEquals(140, b.top());
        assertArrayEquals(new float[] {200, 120, 600, 520}, b.toSource(new float[] {100, 200, 300, 400}));
    }

    @Test
    void oddPaddingAndUnroundedGain() {
        // 1000 x 667: gain 0.64, height 426.88 -> 427, dh = 213 -> top round(106.4) = 106 (bottom 107);
        // scale_boxes: pad_y = round((640 - 426.88) / 2 - 0.1) = round(106.46) = 106.
        Letterbox b = new Letterbox(1000, 667, 640, 640, false);
        assertEquals(427, b.newHeight());
        assertEquals(106, b.top());
        float g = 0.64f;
        float[] got = b.toSource(new float[] {64, 106, 320, 300});
        assertArrayEquals(new float[] {64 / g, 0, 320 / g, (300 - 106) / g}, got);
        // Clipping: x into [0, 1000], y into [0, 667].
        assertArrayEquals(new float[] {0, 0, 1000, 667}, b.toSource(new float[] {-5, 0, 700, 640}));
    }

    @Test
    void enlargementAndStretch() {
        // 20 x 10 into 64 x 64: r = 3.2, 64 x 32, top round(15.9) = 16.
        Letterbox b = new Letterbox(20, 10, 64, 64, false);
        assertEquals(32, b.newHeight());
        assertEquals(16, b.top());
        // Stretch (RT-DETR): no padding, per-axis ratios.
        Letterbox s = new Letterbox(128, 32, 64, 64, true);
        assertEquals(0, s.top());
        assertArrayEquals(new float[] {20, 2, 40, 8}, s.toSource(new float[] {10, 4, 20, 16}));
    }
}
