package dev.runa.detect;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The output layouts of ONNX object detectors that {@link ObjectDetector} understands. */
public enum DetectorFormat {
    /** Ultralytics YOLOv8 / YOLO11 raw head: {@code [1, 4 + nc, anchors]} (cx, cy, w, h, class scores); NMS here. */
    YOLO_V8("yolov8", true),
    /** Ultralytics YOLOv5 raw head: {@code [1, anchors, 5 + nc]} (cx, cy, w, h, objectness, class scores); NMS here. */
    YOLO_V5("yolov5", true),
    /** End-to-end exports with NMS inside (YOLOv10-style): {@code [1, N, 6]} = x1, y1, x2, y2, score, class. */
    END_TO_END("end2end", false),
    /** RT-DETR: {@code [1, queries, 4 + nc]}, boxes as cx, cy, w, h normalised to the input; no NMS. */
    RT_DETR("rtdetr", false),
    /** torchvision detection graphs with named outputs {@code boxes}, {@code labels}, {@code scores}; own preprocessing. */
    TORCHVISION("torchvision", false);

    private final String key;
    private final boolean needsNms;

    DetectorFormat(String key, boolean needsNms) {
        this.key = key;
        this.needsNms = needsNms;
    }

    /** The name users type ({@code yolov8}, {@code yolov5}, {@code end2end}, {@code rtdetr}, {@code torchvision}). */
    public String key() {
        return key;
    }

    /** True when the raw output still needs confidence filtering, NMS and max-det here. */
    public boolean needsNms() {
        return needsNms;
    }

    /**
     * The format a user named; {@code yolo11} is an alias of {@code yolov8} (same head layout).
     *
     * @throws IllegalArgumentException naming the known formats
     */
    public static DetectorFormat parse(String name) {
        String k = name.trim().toLowerCase(Locale.ROOT);
        if (k.equals("yolo11") || k.equals("yolov11")) {
            return YOLO_V8;
        }
        for (DetectorFormat f : values()) {
            if (f.key.equals(k)) {
                return f;
            }
        }
        throw new IllegalArgumentException("detector format '" + name + "' is unknown (known: " + known() + ")");
    }

    /** The known format names, comma separated. */
    public static String known() {
        return Arrays.stream(values()).map(DetectorFormat::key).collect(Collectors.joining(", "));
    }
}
