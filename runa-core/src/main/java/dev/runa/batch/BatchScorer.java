package dev.runa.batch;

import dev.runa.image.DecodeOptions;
import dev.runa.ood.ImageJob;
import dev.runa.ood.ImageOutcome;
import dev.runa.ood.RunaDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Scores the jobs of a run with a {@link RunaDetector}: decoding and views on worker threads ahead
 * of batched inference, encoder batches of a fixed number of images so that the numbers do not
 * depend on thread timing (a resumed run reproduces an uninterrupted one exactly).
 *
 * @param runa           the detector
 * @param decode         image decoding options
 * @param workers        decoder threads
 * @param imagesPerBatch images whose views go to the encoder together
 */
public record BatchScorer(RunaDetector runa, DecodeOptions decode, int workers, int imagesPerBatch) {
    /** Receives each scored image, in job order, on the calling thread. */
    @FunctionalInterface
    public interface Sink {
        void accept(ScoredImage image) throws IOException;
    }

    /** Processors per default worker: see {@link #defaultWorkers(int)}. */
    public static final int PROCESSORS_PER_DEFAULT_WORKER = 8;

    /**
     * Decode and view threads when none are given: one per {@value #PROCESSORS_PER_DEFAULT_WORKER}
     * processors, at least one. The workers share the cores with ONNX Runtime's threads, and a worker
     * per core made the views dearer than they saved: on a 16-core Xeon, int8 ViT-B/16, 2 workers
     * ran 31.0 boxes/s against 30.5 with 16 (blur 6.5 against 28 CPU ms per box), on 2 of its cores
     * 1 worker 5.8 against 5.0 with 2 (docs/performance.md, "Measured on 16 cores"). Pure.
     *
     * @param processors the processors available
     */
    public static int defaultWorkers(int processors) {
        if (processors < 1) {
            throw new IllegalArgumentException("processors must be >= 1, got " + processors);
        }
        return Math.max(1, processors / PROCESSORS_PER_DEFAULT_WORKER);
    }

    public BatchScorer {
        if (workers < 1 || imagesPerBatch < 1) {
            throw new IllegalArgumentException(
                    "workers and images per batch must be >= 1, got " + workers + " and " + imagesPerBatch);
        }
    }

    /** Scores {@code jobs} in order; an unreadable image or a bad box becomes an error result, not an exception. */
    public void run(List<ScoringJob> jobs, Sink sink) throws IOException {
        List<ImageJob> imageJobs = jobs.stream().map(ScoringJob::imageJob).toList();
        int[] next = {0};
        try {
            runa.pipeline(decode, workers, imagesPerBatch).run(imageJobs, (ImageOutcome o) -> {
                ScoringJob job = jobs.get(next[0]++);
                try {
                    sink.accept(new ScoredImage(job, runa.results(o)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
