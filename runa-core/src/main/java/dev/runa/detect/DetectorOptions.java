package dev.runa.detect;

/**
 * How an {@link ObjectDetector} runs and filters. Defaults are Ultralytics' predictor defaults.
 *
 * @param format  the output layout, or null to recognise it from the graph
 * @param conf    keep boxes whose confidence is strictly greater (compared in float32, as PyTorch)
 * @param iou     class-aware NMS drops a box whose IoU with a kept box of its class is greater
 * @param maxDet  at most this many boxes per image, best first
 * @param threads ONNX Runtime intra-op threads
 */
public record DetectorOptions(DetectorFormat format, double conf, double iou, int maxDet, int threads) {
    /** Ultralytics' default confidence threshold. */
    public static final double DEFAULT_CONF = 0.25;
    /** Ultralytics' default NMS IoU threshold. */
    public static final double DEFAULT_IOU = 0.7;
    /** Ultralytics' default maximum detections per image. */
    public static final int DEFAULT_MAX_DET = 300;
    /** Ultralytics' cap on boxes entering NMS ({@code max_nms}). */
    public static final int MAX_NMS = 30000;

    public DetectorOptions {
        if (!(conf >= 0 && conf <= 1)) {
            throw new IllegalArgumentException("conf must be in [0, 1], got " + conf);
        }
        if (!(iou >= 0 && iou <= 1)) {
            throw new IllegalArgumentException("iou must be in [0, 1], got " + iou);
        }
        if (maxDet < 1) {
            throw new IllegalArgumentException("maxDet must be >= 1, got " + maxDet);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** Recognised format, Ultralytics' thresholds, {@code threads} ORT threads. */
    public static DetectorOptions defaults(int threads) {
        return new DetectorOptions(null, DEFAULT_CONF, DEFAULT_IOU, DEFAULT_MAX_DET, threads);
    }

    public DetectorOptions withFormat(DetectorFormat f) {
        return new DetectorOptions(f, conf, iou, maxDet, threads);
    }

    public DetectorOptions withConf(double c) {
        return new DetectorOptions(format, c, iou, maxDet, threads);
    }

    public DetectorOptions withIou(double i) {
        return new DetectorOptions(format, conf, i, maxDet, threads);
    }

    public DetectorOptions withMaxDet(int m) {
        return new DetectorOptions(format, conf, iou, m, threads);
    }
}
