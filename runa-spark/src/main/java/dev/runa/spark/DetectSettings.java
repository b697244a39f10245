package dev.runa.spark;

import dev.runa.detect.DetectorFormat;
import dev.runa.detect.DetectorOptions;
import java.io.Serializable;
import java.util.Objects;

/**
 * The object detector a Spark detect-and-score job runs before RUNA ({@link RunaSpark#detectAndScore}),
 * and how it filters: {@code runa detect}'s {@code --detector}, {@code --detector-format},
 * {@code --conf}, {@code --iou} and {@code --max-det}. ONNX Runtime threads are the job's
 * ({@link RunaSparkSettings#threadsPerTask()}).
 *
 * <p>Immutable (so thread-safe) and {@link Serializable}: tasks carry it, never a detector. The
 * detector is named, like the CLIP model: every executor reads the file itself, through Hadoop's
 * FileSystem, so a path every node can read, {@code hdfs:} or {@code s3a:} all work.
 *
 * @param detector ONNX detector file: a path or URI every executor can read
 * @param format   the output layout, or null to recognise it from the graph
 * @param conf     keep boxes whose confidence is strictly greater
 * @param iou      class-aware NMS IoU threshold
 * @param maxDet   at most this many boxes per image
 */
public record DetectSettings(String detector, DetectorFormat format, double conf, double iou, int maxDet)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public DetectSettings {
        Objects.requireNonNull(detector, "detector");
        // The same checks (and messages) as the detector's own options.
        new DetectorOptions(format, conf, iou, maxDet, 1);
    }

    /** This detector with Ultralytics' predictor defaults ({@link DetectorOptions#defaults}). */
    public static DetectSettings defaults(String detector) {
        return new DetectSettings(
                detector,
                null,
                DetectorOptions.DEFAULT_CONF,
                DetectorOptions.DEFAULT_IOU,
                DetectorOptions.DEFAULT_MAX_DET);
    }

    /** The detector's options with {@code threads} ONNX Runtime threads. */
    public DetectorOptions options(int threads) {
        return new DetectorOptions(format, conf, iou, maxDet, threads);
    }

    /** What an open detector depends on: executors share one per key. */
    String key(int threads) {
        return detector + "\n" + options(threads);
    }
}
