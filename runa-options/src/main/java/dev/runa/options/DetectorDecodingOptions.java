package dev.runa.options;

import dev.runa.detect.DetectorFormat;
import dev.runa.detect.DetectorOptions;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How an object detector's output becomes boxes: {@code --detector-format}, {@code --conf},
 * {@code --iou}, {@code --max-det}, with the library's defaults ({@link DetectorOptions}), so that
 * {@code runa detect}, {@code runa serve --detector} and {@code runa spark-detect} find the same boxes.
 * The detector file itself is each command's own option (required or not, a path or a URI). A
 * mutable parse target; not thread-safe.
 */
public final class DetectorDecodingOptions {
    /** The flags of this mixin, for a command that refuses them without a detector. */
    public static final List<String> NAMES = List.of("--detector-format", "--conf", "--iou", "--max-det");

    @Option(
            names = "--detector-format",
            defaultValue = "auto",
            paramLabel = "FMT",
            description = "Detector output format: auto (from the graph's outputs and metadata), yolov8 (also 11),"
                    + " yolov5, end2end, rtdetr or torchvision (default: ${DEFAULT-VALUE})")
    private String format = "auto";

    @Option(
            names = "--conf",
            defaultValue = "" + DetectorOptions.DEFAULT_CONF,
            paramLabel = "C",
            description = "Keep detections with a confidence above C (default: ${DEFAULT-VALUE})")
    private double conf = DetectorOptions.DEFAULT_CONF;

    @Option(
            names = "--iou",
            defaultValue = "" + DetectorOptions.DEFAULT_IOU,
            paramLabel = "I",
            description = "Class-aware NMS IoU threshold (default: ${DEFAULT-VALUE})")
    private double iou = DetectorOptions.DEFAULT_IOU;

    @Option(
            names = "--max-det",
            defaultValue = "" + DetectorOptions.DEFAULT_MAX_DET,
            paramLabel = "N",
            description = "At most N detections per image (default: ${DEFAULT-VALUE})")
    private int maxDet = DetectorOptions.DEFAULT_MAX_DET;

    /** {@code --detector-format}: null for {@code auto} (the format is read from the graph). */
    public DetectorFormat format() {
        return format.trim().equalsIgnoreCase("auto") ? null : DetectorFormat.parse(format);
    }

    /** {@code --conf}. */
    public double conf() {
        return conf;
    }

    /** {@code --iou}. */
    public double iou() {
        return iou;
    }

    /** {@code --max-det}. */
    public int maxDet() {
        return maxDet;
    }

    /** The library's detector options for these flags, the detector running {@code threads} threads. */
    public DetectorOptions settings(int threads) {
        return new DetectorOptions(format(), conf, iou, maxDet, threads);
    }

    /** The flags' values as a resumable output records them ({@code format=auto conf=0.25 ...}). */
    public String describe() {
        return "format=" + format + " conf=" + conf + " iou=" + iou + " max_det=" + maxDet;
    }
}
