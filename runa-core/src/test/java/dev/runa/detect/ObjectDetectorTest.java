package dev.runa.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import dev.runa.onnx.Dim;
import dev.runa.onnx.ElementType;
import dev.runa.onnx.GraphBuilder;
import dev.runa.testing.SyntheticDetectors;
import dev.runa.testing.SyntheticDetectors.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every format end to end on generated detectors ({@link SyntheticDetectors}): preprocessing,
 * decoding, NMS, class names and the mapping back to source pixels, against boxes derived by hand
 * from where the test paints its coloured squares.
 *
 * <p>The 128 x 96 picture letterboxes into 64 x 64 with gain 0.5 and 8 grey rows above and below
 * (Ultralytics: {@code top = round(16 / 2 - 0.1) = 8}; {@code scale_boxes} pad {@code round(7.9) = 8},
 * {@code round(-0.1) = 0}). A square aligned to even source pixels covers whole 8-pixel cells, and
 * each detected box is its cell grown by 4 input pixels = 8 source pixels on each side.
 */
class ObjectDetectorTest {
    @TempDir
    static Path tmp;

    // Squares (x1, y1, x2, y2 exclusive, colour) on a black 128 x 96 picture.
    static final int[] RED = {32, 16, 48, 32, 0xff0000}; // one cell, anchor 2*8+2 = 18
    static final int[] GREEN = {64, 48, 96, 64, 0x00ff00}; // two cells side by side: anchors 36 and 37
    static final int[] BLUE = {0, 80, 16, 96, 0x0000c8}; // one cell at the left edge (anchor 48), blue 200
    static final float BLUE_SQ = (200 / 255f) * (200 / 255f);
    static final float TOL = 1e-5f; // AveragePool's float sum of 64 equal values vs the exact mean

    static PixelImage picture(int w, int h) throws Exception {
        return ImageDecoder.decode(
                SyntheticDetectors.writePicture(Files.createTempFile(tmp, "pic", ".png"), w, h, RED, GREEN, BLUE));
    }

    static ObjectDetector open(Kind kind, boolean names, DetectorOptions options) throws Exception {
        Path f = SyntheticDetectors.write(Files.createTempFile(tmp, kind.name(), ".onnx"), kind, names);
        return ObjectDetector.open(f, options);
    }

    static void assertObject(DetectedObject o, String label, int cls, float score, double... box) {
        assertEquals(label, o.label());
        assertEquals(cls, o.classIndex());
        assertEquals(score, o.score(), TOL, label);
        double[] got = {o.box().x1(), o.box().y1(), o.box().x2(), o.box().y2()};
        for (int i = 0; i < 4; i++) {
            assertEquals(box[i], got[i], 1e-4, label + " coordinate " + i);
        }
    }

    /** The four expected objects on the 128 x 96 picture, best first (ties by anchor). */
    static void assertFour(List<DetectedObject> d) {
        assertEquals(4, d.size(), d.toString());
        assertObject(d.get(0), "red", 0, 1f, 24, 8, 56, 40);
        assertObject(d.get(1), "green", 1, 1f, 56, 40, 88, 72);
        assertObject(d.get(2), "green", 1, 1f, 72, 40, 104, 72);
        // Cell (0, 6): input box (-4, 44, 12, 60) -> (-8, 72, 24, 104), clipped to the 128 x 96 image.
        assertObject(d.get(3), "blue", 2, BLUE_SQ, 0, 72, 24, 96);
    }

    @Test
    void yoloV8DecodesLetterboxesAndSuppresses() throws Exception {
        PixelImage img = picture(128, 96);
        try (ObjectDetector det = open(Kind.YOLOV8, true, DetectorOptions.defaults(1))) {
            assertEquals(DetectorFormat.YOLO_V8, det.graph().format());
            assertEquals(List.of("red", "green", "blue"), det.graph().classNames());
            assertEquals(64, det.graph().inputWidth());
            assertFour(det.detect(img));
        }
        // The two green boxes overlap by IoU 1/3: suppressed at 0.3, the lower anchor wins the tie.
        try (ObjectDetector det =
                open(Kind.YOLOV8, true, DetectorOptions.defaults(1).withIou(0.3))) {
            List<DetectedObject> d = det.detect(img);
            assertEquals(3, d.size());
            assertObject(d.get(1), "green", 1, 1f, 56, 40, 88, 72);
            assertEquals("blue", d.get(2).label());
        }
        try (ObjectDetector det =
                open(Kind.YOLOV8, true, DetectorOptions.defaults(1).withMaxDet(2))) {
            assertEquals(List.of("red", "green"), labels(det.detect(img)));
        }
        try (ObjectDetector det =
                open(Kind.YOLOV8, true, DetectorOptions.defaults(1).withConf(0.7))) {
            assertEquals(List.of("red", "green", "green"), labels(det.detect(img)));
        }
        // Padding (114 grey) scores 0.447^2 = 0.2: under 0.25, over 0.19.
        try (ObjectDetector det =
                open(Kind.YOLOV8, true, DetectorOptions.defaults(1).withConf(0.19))) {
            List<DetectedObject> d = det.detect(img);
            assertEquals(4 + 2 * 8, d.size());
            float pad = (114 / 255f) * (114 / 255f);
            assertEquals(pad, d.get(4).score(), TOL);
        }
    }

    @Test
    void yoloV5MultipliesObjectness() throws Exception {
        try (ObjectDetector det = open(Kind.YOLOV5, true, DetectorOptions.defaults(1))) {
            assertEquals(DetectorFormat.YOLO_V5, det.graph().format());
            assertFour(det.detect(picture(128, 96)));
        }
    }

    @Test
    void endToEndKeepsModelOrderWithoutNms() throws Exception {
        try (ObjectDetector det =
                open(Kind.END2END, true, DetectorOptions.defaults(1).withIou(0.3))) {
            assertEquals(DetectorFormat.END_TO_END, det.graph().format());
            assertFour(det.detect(picture(128, 96))); // both green boxes: the model already suppressed
        }
    }

    @Test
    void rtDetrStretchesAndScalesNormalisedBoxes() throws Exception {
        // 128 x 128 stretches to 64 x 64 (2x): red -> cell (2, 1), green -> (4, 3), (5, 3), blue -> (0, 5).
        // Boxes: normalised cell boxes times 128, not clipped (Ultralytics' RT-DETR predictor does not clip).
        try (ObjectDetector det = open(Kind.RTDETR, true, DetectorOptions.defaults(1))) {
            assertEquals(DetectorFormat.RT_DETR, det.graph().format());
            List<DetectedObject> d = det.detect(picture(128, 128));
            assertEquals(4, d.size(), d.toString());
            assertObject(d.get(0), "red", 0, 1f, 24, 8, 56, 40);
            assertObject(d.get(1), "green", 1, 1f, 56, 40, 88, 72);
            assertObject(d.get(2), "green", 1, 1f, 72, 40, 104, 72);
            assertObject(d.get(3), "blue", 2, BLUE_SQ, -8, 72, 24, 104);
        }
    }

    @Test
    void torchvisionRunsOnTheImageItself() throws Exception {
        // No letterbox: the 64 x 64 picture is the input. Red on cell (2, 2), blue on cell (0, 6).
        Path pic = SyntheticDetectors.writePicture(
                tmp.resolve("tv.png"), 64, 64, new int[] {16, 16, 24, 24, 0xff0000}, new int[] {0, 48, 8, 56, 0x0000c8
                });
        try (ObjectDetector det = open(Kind.TORCHVISION, true, DetectorOptions.defaults(1))) {
            assertEquals(DetectorFormat.TORCHVISION, det.graph().format());
            List<DetectedObject> d = det.detect(ImageDecoder.decode(pic));
            assertEquals(2, d.size(), d.toString());
            assertObject(d.get(0), "red", 0, 1f, 12, 12, 28, 28);
            assertObject(d.get(1), "blue", 2, 200 / 255f, -4, 44, 12, 60);
        }
    }

    @Test
    void withoutNamesClassesAreNumbered() throws Exception {
        try (ObjectDetector det = open(Kind.YOLOV8, false, DetectorOptions.defaults(1))) {
            assertEquals(DetectorFormat.YOLO_V8, det.graph().format());
            assertEquals(3, det.graph().classCount());
            assertEquals("class 0", det.detect(picture(128, 96)).get(0).label());
        }
    }

    @Test
    void corruptFileIsNamed() throws Exception {
        Path bad = Files.write(tmp.resolve("corrupt.onnx"), "definitely not protobuf".getBytes());
        DetectorException e =
                assertThrows(DetectorException.class, () -> ObjectDetector.open(bad, DetectorOptions.defaults(1)));
        assertTrue(e.getMessage().startsWith(bad + ": not an ONNX model"), e.getMessage());
    }

    @Test
    void unsupportedOutputsAreNamed() throws Exception {
        GraphBuilder g = new GraphBuilder("classifier");
        String x = g.input("images", ElementType.FLOAT, Dim.of(1), Dim.of(3), Dim.of(8), Dim.of(8));
        g.identity(g.reshape(g.averagePool(x, 8, 8), 1, 3), "logits");
        g.output("logits", ElementType.FLOAT, Dim.of(1), Dim.of(3));
        Path f = Files.write(tmp.resolve("classifier.onnx"), g.build().toByteArray());
        DetectorException e =
                assertThrows(DetectorException.class, () -> ObjectDetector.open(f, DetectorOptions.defaults(1)));
        assertTrue(e.getMessage().contains(f + ": unsupported detector outputs 'logits' [1, 3]"), e.getMessage());
    }

    @Test
    void forcedFormatMustFit() throws Exception {
        DetectorException e = assertThrows(
                DetectorException.class,
                () -> open(Kind.END2END, true, DetectorOptions.defaults(1).withFormat(DetectorFormat.TORCHVISION)));
        assertTrue(e.getMessage().contains("torchvision needs outputs named boxes, labels and scores"), e.getMessage());
    }

    private static List<String> labels(List<DetectedObject> d) {
        return d.stream().map(DetectedObject::label).toList();
    }
}
