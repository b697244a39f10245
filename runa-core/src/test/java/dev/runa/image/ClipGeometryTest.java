package dev.runa.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** torchvision's Resize/CenterCrop arithmetic, including the half-to-even rounding. */
class ClipGeometryTest {
    @Test
    void shortSideBecomesNLongSideTruncated() {
        assertEquals(new ClipGeometry.Size(224, 373), ClipGeometry.resizedSize(300, 500, 224));
        assertEquals(new ClipGeometry.Size(398, 224), ClipGeometry.resizedSize(1280, 720, 224));
        assertEquals(new ClipGeometry.Size(289, 224), ClipGeometry.resizedSize(257, 199, 224));
        assertEquals(new ClipGeometry.Size(224, 224), ClipGeometry.resizedSize(50, 50, 224));
    }

    @Test
    void centreCropRoundsHalfToEven() {
        assertEquals(74, ClipGeometry.centerCropOffset(373, 224)); // 74.5 -> 74
        assertEquals(76, ClipGeometry.centerCropOffset(377, 224)); // 76.5 -> 76
        assertEquals(38, ClipGeometry.centerCropOffset(299, 224)); // 37.5 -> 38
        assertEquals(87, ClipGeometry.centerCropOffset(398, 224));
        assertEquals(0, ClipGeometry.centerCropOffset(224, 224));
    }
}
