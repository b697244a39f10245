package dev.runa.server;

import dev.runa.detect.DetectorFormat;
import dev.runa.detect.DetectorOptions;
import dev.runa.detect.ObjectDetector;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The object detector of {@code runa serve}: {@code --detector} and the detector options of
 * {@code runa detect}, with the same names and defaults (from the library's {@link DetectorOptions}),
 * so that {@code POST /v1/detect} finds the boxes {@code runa detect} finds. They mirror runa-cli's
 * detector mixin because this module may not depend on the CLI.
 */
final class ObjectDetectorOptions {
    private static final String[] NEED_DETECTOR = {"--detector-format", "--conf", "--iou", "--max-det"};

    @Option(
            names = "--detector",
            paramLabel = "F",
            description = "An ONNX object detector (YOLOv5/v8/11, end-to-end, RT-DETR, torchvision): enables POST"
                    + " /v1/detect and the inspector's Detect; --classes then defaults to its class names")
    Path detector;

    @Option(
            names = "--detector-format",
            defaultValue = "auto",
            paramLabel = "FMT",
            description = "Detector output format: auto (from the graph's outputs and metadata), yolov8 (also 11),"
                    + " yolov5, end2end, rtdetr or torchvision (default: ${DEFAULT-VALUE})")
    String format;

    @Option(
            names = "--conf",
            defaultValue = "" + DetectorOptions.DEFAULT_CONF,
            paramLabel = "C",
            description = "Keep detections with a confidence above C (default: ${DEFAULT-VALUE})")
    double conf;

    @Option(
            names = "--iou",
            defaultValue = "" + DetectorOptions.DEFAULT_IOU,
            paramLabel = "I",
            description = "Class-aware NMS IoU threshold (default: ${DEFAULT-VALUE})")
    double iou;

    @Option(
            names = "--max-det",
            defaultValue = "" + DetectorOptions.DEFAULT_MAX_DET,
            paramLabel = "N",
            description = "At most N detections per image (default: ${DEFAULT-VALUE})")
    int maxDet;

    /** Refuses detector options given without {@code --detector}: they would silently do nothing. */
    void check(ParseResult given) {
        if (detector != null || given == null) {
            return;
        }
        for (String name : NEED_DETECTOR) {
            if (given.hasMatchedOption(name)) {
                throw new IllegalArgumentException(name + " sets up the object detector: it needs --detector F");
            }
        }
    }

    /**
     * Opens the detector with these options and {@code threads} ONNX Runtime threads, as {@code runa
     * detect} does; null without {@code --detector}. The caller owns (closes) it.
     */
    ObjectDetector open(int threads) throws IOException {
        if (detector == null) {
            return null;
        }
        DetectorFormat f = format.trim().equalsIgnoreCase("auto") ? null : DetectorFormat.parse(format);
        return ObjectDetector.open(detector, new DetectorOptions(f, conf, iou, maxDet, threads));
    }
}
