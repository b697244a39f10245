package dev.runa.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Format recognition on the output shapes real exports document (shapes only; the models
 * themselves are not in the test): Ultralytics' export docs and model cards for YOLOv8n / YOLO11n
 * {@code [1, 84, 8400]}, YOLOv5s {@code [1, 25200, 85]}, YOLOv10n {@code [1, 300, 6]}, RT-DETR-l
 * {@code [1, 300, 84]}; torchvision's Faster R-CNN {@code torch.onnx.export} with outputs boxes,
 * labels, scores.
 */
class DetectorGraphTest {
    static final DetectorGraph.Tensor IMAGES = new DetectorGraph.Tensor("images", new long[] {1, 3, 640, 640});

    static Map<String, String> coco(String description) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < 80; i++) {
            sb.append(i == 0 ? "" : ", ").append(i).append(": 'class").append(i).append("'");
        }
        Map<String, String> m = new HashMap<>();
        m.put("names", sb.append('}').toString());
        m.put("description", description);
        return m;
    }

    static DetectorGraph recognise(long[] out, Map<String, String> meta) {
        return DetectorGraph.recognise(
                "m.onnx", List.of(IMAGES), List.of(new DetectorGraph.Tensor("output0", out)), meta, null);
    }

    @Test
    void documentedUltralyticsShapes() {
        assertEquals(
                DetectorFormat.YOLO_V8,
                recognise(new long[] {1, 84, 8400}, coco("Ultralytics YOLOv8n model"))
                        .format());
        assertEquals(
                DetectorFormat.YOLO_V8,
                recognise(new long[] {1, 84, 8400}, coco("Ultralytics YOLO11n model"))
                        .format());
        assertEquals(
                DetectorFormat.YOLO_V5,
                recognise(new long[] {1, 25200, 85}, coco("")).format());
        assertEquals(
                DetectorFormat.END_TO_END,
                recognise(new long[] {1, 300, 6}, coco("Ultralytics YOLOv10n model"))
                        .format());
        assertEquals(
                DetectorFormat.RT_DETR,
                recognise(new long[] {1, 300, 84}, coco("Ultralytics RT-DETR-l model"))
                        .format());
        // Without names: 84 x 8400 is still YOLOv8 with 80 classes; rows of 6 are end-to-end.
        DetectorGraph bare = recognise(new long[] {1, 84, 8400}, Map.of());
        assertEquals(DetectorFormat.YOLO_V8, bare.format());
        assertEquals(80, bare.classCount());
        assertEquals(
                DetectorFormat.END_TO_END,
                recognise(new long[] {1, 300, 6}, Map.of()).format());
        // Dynamic exports: batch and anchors symbolic, size from imgsz.
        DetectorGraph dyn = DetectorGraph.recognise(
                "m.onnx",
                List.of(new DetectorGraph.Tensor("images", new long[] {-1, 3, -1, -1})),
                List.of(new DetectorGraph.Tensor("output0", new long[] {-1, 84, -1})),
                Map.of("imgsz", "[480, 640]"),
                null);
        assertEquals(DetectorFormat.YOLO_V8, dyn.format());
        assertEquals(480, dyn.inputHeight());
        assertEquals(640, dyn.inputWidth());
    }

    @Test
    void torchvisionByOutputNames() {
        DetectorGraph g = DetectorGraph.recognise(
                "frcnn.onnx",
                List.of(new DetectorGraph.Tensor("images", new long[] {3, -1, -1})),
                List.of(
                        new DetectorGraph.Tensor("boxes", new long[] {-1, 4}),
                        new DetectorGraph.Tensor("labels", new long[] {-1}),
                        new DetectorGraph.Tensor("scores", new long[] {-1})),
                Map.of(),
                null);
        assertEquals(DetectorFormat.TORCHVISION, g.format());
        assertEquals(3, g.inputRank());
    }

    @Test
    void ambiguityAndMismatchAreExplained() {
        // Single-class YOLOv5 and end-to-end both give rows of 6.
        Map<String, String> one = Map.of("names", "{0: 'person'}");
        DetectorException e = assertThrows(DetectorException.class, () -> recognise(new long[] {1, 25200, 6}, one));
        assertTrue(e.getMessage().contains("fits several formats (end2end, yolov5)"), e.getMessage());
        assertEquals(
                DetectorFormat.YOLO_V5,
                DetectorGraph.recognise(
                                "m.onnx",
                                List.of(IMAGES),
                                List.of(new DetectorGraph.Tensor("output0", new long[] {1, 25200, 6})),
                                one,
                                DetectorFormat.YOLO_V5)
                        .format());
        // 84 rows with 20 names fits nothing.
        Map<String, String> twenty = new HashMap<>();
        twenty.put(
                "names",
                "{"
                        + String.join(
                                ", ",
                                java.util.stream.IntStream.range(0, 20)
                                        .mapToObj(i -> i + ": 'c" + i + "'")
                                        .toList())
                        + "}");
        DetectorException m = assertThrows(DetectorException.class, () -> recognise(new long[] {1, 84, 8400}, twenty));
        assertTrue(m.getMessage().contains("with the 20 classes of its 'names' metadata"), m.getMessage());
    }

    @Test
    void pythonDictNames() {
        assertEquals(
                List.of("person", "driver's cab", "a\\b"),
                DetectorGraph.parseNames("m", "{0: 'person', 1: \"driver's cab\", 2: 'a\\\\b'}"));
        assertThrows(DetectorException.class, () -> DetectorGraph.parseNames("m", "{1: 'x'}"));
        assertThrows(DetectorException.class, () -> DetectorGraph.parseNames("m", "person,car"));
    }
}
