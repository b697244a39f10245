package dev.runa.cli;

import dev.runa.detect.DetectorFormat;
import dev.runa.detect.DetectorOptions;
import dev.runa.detect.ObjectDetector;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The object detector options shared by {@code detect} and {@code demo}; defaults from {@link DetectorOptions}. */
final class DetectorOptionsMixin {

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

    /** Opens the detector file with these options and {@code threads} ONNX Runtime threads. */
    ObjectDetector open(Path detector, int threads) throws IOException {
        DetectorFormat f = format.trim().equalsIgnoreCase("auto") ? null : DetectorFormat.parse(format);
        return ObjectDetector.open(detector, new DetectorOptions(f, conf, iou, maxDet, threads));
    }

    /** The settings a resumable output records. */
    String describe() {
        return "format=" + format + " conf=" + conf + " iou=" + iou + " max_det=" + maxDet;
    }
}
