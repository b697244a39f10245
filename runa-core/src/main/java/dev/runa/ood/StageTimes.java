package dev.runa.ood;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Time spent in each stage of scoring, summed over all threads since creation: where the time per
 * box goes, so that the next bottleneck is visible ({@code runa bench runa} prints it). The CPU
 * stages record the CPU time of the thread that ran them ({@link #cpuNow()}): what a box costs in
 * cores, unaffected by how busy the machine is. {@link Stage#ENCODER} records the wall time of
 * the encoder calls (ONNX Runtime works on its own threads). Thread-safe; owned by whoever created
 * it (a {@link BoxFeatureExtractor} and the detector that holds it).
 */
public final class StageTimes {
    /** The stages of scoring one image's boxes. */
    public enum Stage {
        /** Reading and decoding the image file. */
        DECODE,
        /** Conversion of the decoded image to RGB. */
        RGB,
        /** Gaussian blur of the whole image for the global views. */
        BLUR,
        /** Both views of every box, including the once-per-image resize of the blurred image. */
        VIEWS,
        /** The vision encoder calls (wall time). */
        ENCODER,
        /** Fusion, projection and ID scores. */
        SCORING
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Stage, LongAdder> nanos = new EnumMap<>(Stage.class);

    /** Empty times. */
    public StageTimes() {
        for (Stage s : Stage.values()) {
            nanos.put(s, new LongAdder());
        }
    }

    /**
     * The calling thread's CPU time in nanoseconds, or {@link System#nanoTime()} where the JVM
     * cannot measure it: differences of two calls on one thread time a CPU stage.
     */
    public static long cpuNow() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Adds {@code elapsedNanos} to {@code stage}. */
    public void add(Stage stage, long elapsedNanos) {
        nanos.get(stage).add(elapsedNanos);
    }

    /** Nanoseconds spent in {@code stage} so far. */
    public long nanos(Stage stage) {
        return nanos.get(stage).sum();
    }

    /** The current totals, in milliseconds per stage. */
    public Map<Stage, Double> millis() {
        Map<Stage, Double> out = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            out.put(s, nanos(s) / 1e6);
        }
        return out;
    }

    /** Sets every stage back to zero (e.g. after a warm-up). */
    public void reset() {
        nanos.values().forEach(LongAdder::reset);
    }
}
