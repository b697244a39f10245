package dev.runa.clip;

import dev.runa.clip.graph.AttentionKind;

/**
 * How an encoder runs on ONNX Runtime.
 *
 * @param intraOpThreads threads all inferences together may use: each of the {@code sessions}
 *                       sessions gets {@code max(1, intraOpThreads / sessions)} ORT intra-op threads
 * @param attention      attention formulation in the graph
 * @param prepacking     let ORT pre-pack GEMM weights: faster, but a second copy of every weight
 *                       (about +330 MB for ViT-B/16's vision tower)
 * @param spinWait       let idle ORT worker threads spin between parallel sections: lowest latency on
 *                       dedicated cores, wasted cycles on a machine shared with other busy processes
 * @param maxRunBatch    largest batch given to one ORT run; bigger requests are split. On the
 *                       reference machine ViT-B/16 ran ~8.5 images/s at batch 8 but ~7 at batch 32,
 *                       whose activations ([32 * 197, 3072] floats = 77 MB per MLP tensor) no longer
 *                       stay in cache
 * @param precision      arithmetic of the vision encoder's matrix products ({@link Precision#FP32} by
 *                       default; the text encoder always runs fp32)
 * @param sessions       vision encoder sessions (1 in {@link #defaults()}; front ends that take a
 *                       thread count default to {@link #defaultSessions(int)}). With more than one, a request of
 *                       several {@code maxRunBatch} runs executes its runs in parallel, one per
 *                       session, each with a share of the threads: on many cores independent
 *                       batches scale better than one batch over all threads (docs/performance.md,
 *                       "Encoder scaling across cores"). Each session holds its own pre-packed weights
 * @param experiments    switches for performance work ({@link OrtExperiments#NONE} by default)
 */
public record EncoderOptions(
        int intraOpThreads,
        AttentionKind attention,
        boolean prepacking,
        boolean spinWait,
        int maxRunBatch,
        Precision precision,
        int sessions,
        OrtExperiments experiments) {
    /** Default {@link #maxRunBatch()}. */
    public static final int DEFAULT_MAX_RUN_BATCH = 8;

    /**
     * Most threads {@link #defaultThreads()} gives. One ViT-B inference stops getting faster at about
     * 8 intra-op threads, so the threads are shared by {@link #defaultSessions(int)} sessions running
     * independent batches; 16 threads in 4 sessions was the best measured default on 16 cores
     * (docs/performance.md). Beyond 16 nothing was measured, and every session costs a copy of the
     * weights: give {@code threads} and {@code sessions} explicitly there.
     */
    public static final int MAX_DEFAULT_THREADS = 16;

    public EncoderOptions {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + intraOpThreads);
        }
        if (maxRunBatch < 1) {
            throw new IllegalArgumentException("max run batch must be >= 1, got " + maxRunBatch);
        }
        if (attention == null) {
            throw new IllegalArgumentException("attention kind is required");
        }
        if (precision == null) {
            throw new IllegalArgumentException("precision is required");
        }
        if (sessions < 1) {
            throw new IllegalArgumentException("sessions must be >= 1, got " + sessions);
        }
        if (experiments == null) {
            throw new IllegalArgumentException("experiments are required (OrtExperiments.NONE for none)");
        }
    }

    /** Threads used when none are given: the available processors, at most {@value #MAX_DEFAULT_THREADS}. */
    public static int defaultThreads() {
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), MAX_DEFAULT_THREADS));
    }

    /**
     * The defaults: {@link #defaultThreads()} threads, {@link AttentionKind#ATTENTION} (fastest by
     * CPU time per image at batch 8 on the reference machine), pre-packing and spin-waiting on, fp32.
     */
    public static EncoderOptions defaults() {
        return new EncoderOptions(
                defaultThreads(),
                AttentionKind.ATTENTION,
                true,
                true,
                DEFAULT_MAX_RUN_BATCH,
                Precision.FP32,
                1,
                OrtExperiments.NONE);
    }

    /** Same options with another thread count. */
    public EncoderOptions withThreads(int threads) {
        return new EncoderOptions(
                threads, attention, prepacking, spinWait, maxRunBatch, precision, sessions, experiments);
    }

    /** Same options with another attention formulation. */
    public EncoderOptions withAttention(AttentionKind kind) {
        return new EncoderOptions(
                intraOpThreads, kind, prepacking, spinWait, maxRunBatch, precision, sessions, experiments);
    }

    /** Same options with pre-packing on or off. */
    public EncoderOptions withPrepacking(boolean on) {
        return new EncoderOptions(
                intraOpThreads, attention, on, spinWait, maxRunBatch, precision, sessions, experiments);
    }

    /** Same options with another largest batch per ORT run. */
    public EncoderOptions withMaxRunBatch(int max) {
        return new EncoderOptions(
                intraOpThreads, attention, prepacking, spinWait, max, precision, sessions, experiments);
    }

    /** Same options with spin-waiting on or off. */
    public EncoderOptions withSpinWait(boolean on) {
        return new EncoderOptions(
                intraOpThreads, attention, prepacking, on, maxRunBatch, precision, sessions, experiments);
    }

    /** Same options with another vision-encoder precision. */
    public EncoderOptions withPrecision(Precision p) {
        return new EncoderOptions(
                intraOpThreads, attention, prepacking, spinWait, maxRunBatch, p, sessions, experiments);
    }

    /** Same options with other performance-work switches. */
    public EncoderOptions withExperiments(OrtExperiments e) {
        return new EncoderOptions(intraOpThreads, attention, prepacking, spinWait, maxRunBatch, precision, sessions, e);
    }

    /** Same options with {@code n} parallel vision sessions sharing the threads. */
    public EncoderOptions withSessions(int n) {
        return new EncoderOptions(
                intraOpThreads, attention, prepacking, spinWait, maxRunBatch, precision, n, experiments);
    }

    /**
     * Threads per session in {@link #defaultSessions(int)}: on a 16-core Xeon (AMX) 16 threads ran
     * int8 ViT-B/16 at 42 images/s in one session and 83 in four (fp32 26 and 30), against 91 and
     * 32 at the best counts (docs/performance.md, "Encoder scaling across cores").
     */
    public static final int THREADS_PER_DEFAULT_SESSION = 4;

    /**
     * The session count to use for {@code intraOpThreads} threads when none is chosen: one session
     * per {@value #THREADS_PER_DEFAULT_SESSION} threads, so 1 up to 7 threads (the 2-core reference
     * machine keeps one session) and 4 at 16. Each extra session costs roughly one more copy of the
     * vision weights in memory. Pure; thread-safe.
     *
     * @throws IllegalArgumentException if {@code intraOpThreads < 1}
     */
    public static int defaultSessions(int intraOpThreads) {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + intraOpThreads);
        }
        return Math.max(1, intraOpThreads / THREADS_PER_DEFAULT_SESSION);
    }

    /** ORT intra-op threads of each session: {@code max(1, intraOpThreads / sessions)}. */
    public int threadsPerSession() {
        return Math.max(1, intraOpThreads / sessions);
    }
}
