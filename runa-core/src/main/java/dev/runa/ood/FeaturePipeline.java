package dev.runa.ood;

import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecodeException;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs many images through a {@link BoxFeatureExtractor}: decoding and view building happen on
 * worker threads, ahead of and in parallel with inference, while the calling thread hands the views
 * of several images at a time to the encoder. At most {@code lookahead} images are prepared ahead,
 * so memory stays bounded for any number of images or boxes. Results arrive in input order.
 * An unreadable image is reported in its {@link ImageOutcome}, never thrown.
 */
public final class FeaturePipeline {
    private final BoxFeatureExtractor extractor;
    private final DecodeOptions decode;
    private final int workers;
    private final int lookahead;
    private final Grouping grouping;
    private final Function<ImageJob, PixelImage> decoder;

    /** When the images gathered so far make a batch for the encoder. */
    private sealed interface Grouping {
        /** True while the batch should take the next queued image ({@code nextReady}: already prepared). */
        boolean takeMore(int images, int views, boolean nextReady);
    }

    /** Fixed groups of consecutive images, whatever the decoders' timing. */
    private record FixedGroups(int images) implements Grouping {
        @Override
        public boolean takeMore(int images, int views, boolean nextReady) {
            return images < this.images;
        }
    }

    /** Ready images until about a number of views: batches follow the decoders' timing. */
    private record ViewBudget(int views) implements Grouping {
        @Override
        public boolean takeMore(int images, int views, boolean nextReady) {
            return views < this.views && nextReady;
        }
    }

    private FeaturePipeline(
            BoxFeatureExtractor extractor, DecodeOptions decode, int workers, int lookahead, Grouping grouping) {
        this.extractor = extractor;
        this.decode = decode;
        this.workers = workers;
        this.lookahead = lookahead;
        this.grouping = grouping;
        this.decoder = job -> ImageDecoder.decode(job.file(), decode);
    }

    private FeaturePipeline(FeaturePipeline p, Function<ImageJob, PixelImage> decoder) {
        this.extractor = p.extractor;
        this.decode = p.decode;
        this.workers = p.workers;
        this.lookahead = p.lookahead;
        this.grouping = p.grouping;
        this.decoder = decoder;
    }

    /**
     * A pipeline that hands the encoder whatever images are prepared, until about {@code viewsPerBatch}
     * views: the fastest grouping, for runs whose numbers need not repeat to the last digit across
     * thread timings (eval caches features per box; fine-tuning encodes regions once).
     *
     * @param extractor     views and encoder
     * @param decode        image decoding options
     * @param workers       decode and view threads
     * @param lookahead     images prepared ahead of inference (bounds memory)
     * @param viewsPerBatch gather images until about this many views, then run the encoder
     */
    public static FeaturePipeline viewBudget(
            BoxFeatureExtractor extractor, DecodeOptions decode, int workers, int lookahead, int viewsPerBatch) {
        if (workers < 1 || lookahead < 1 || viewsPerBatch < 1) {
            throw new IllegalArgumentException("workers, lookahead and views per batch must be >= 1");
        }
        return new FeaturePipeline(extractor, decode, workers, lookahead, new ViewBudget(viewsPerBatch));
    }

    /**
     * A pipeline whose encoder batches are fixed groups of {@code imagesPerBatch} consecutive jobs
     * (fewer at the end), whatever the decoders' timing. fp32 results move by ~1e-6 with batch
     * composition, so runs that must be reproducible to the last digit (resumable outputs) need
     * this: a run restarted at a multiple of {@code imagesPerBatch} sees the same batches.
     */
    public static FeaturePipeline fixedGroups(
            BoxFeatureExtractor extractor, DecodeOptions decode, int workers, int imagesPerBatch) {
        if (workers < 1 || imagesPerBatch < 1) {
            throw new IllegalArgumentException("workers and images per batch must be >= 1");
        }
        return new FeaturePipeline(
                extractor, decode, workers, Math.max(2 * imagesPerBatch, workers), new FixedGroups(imagesPerBatch));
    }

    // For tests: the same pipeline with another way to decode a job's image.
    FeaturePipeline withDecoder(Function<ImageJob, PixelImage> other) {
        return new FeaturePipeline(this, other);
    }

    private record Pending(ImageJob job, Future<Prepared> future) {}

    private record Prepared(PreparedImage image, BoxError error, double millis) {}

    /** Processes every job, calling {@code sink} once per job, in input order, on the calling thread. */
    public void run(List<ImageJob> jobs, Consumer<ImageOutcome> sink) {
        // A fork-join pool, so that an image with many boxes can split its views over idle workers
        // (BoxFeatureExtractor.prepare) while a batch of images is spread across them.
        ExecutorService pool = new ForkJoinPool(
                workers,
                p -> {
                    ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                    t.setName("runa-views-" + t.getPoolIndex());
                    t.setDaemon(true);
                    return t;
                },
                null,
                false);
        try {
            Deque<Pending> queue = new ArrayDeque<>();
            int next = 0;
            while (next < jobs.size() || !queue.isEmpty()) {
                while (next < jobs.size() && queue.size() < lookahead) {
                    ImageJob job = jobs.get(next++);
                    queue.add(new Pending(job, pool.submit(() -> prepare(job))));
                }
                // Take ready-or-next images until the batch holds enough views.
                List<Pending> batch = new ArrayList<>();
                List<Prepared> prepared = new ArrayList<>();
                int views = 0;
                do {
                    Pending p = queue.poll();
                    Prepared pr = await(p);
                    batch.add(p);
                    prepared.add(pr);
                    if (pr.image() != null) {
                        views += pr.image().boxes().size() * 2;
                    }
                    if (next < jobs.size()) {
                        ImageJob job = jobs.get(next++);
                        queue.add(new Pending(job, pool.submit(() -> prepare(job))));
                    }
                } while (!queue.isEmpty()
                        && grouping.takeMore(
                                batch.size(), views, queue.peek().future().isDone()));
                emit(batch, prepared, sink);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void emit(List<Pending> batch, List<Prepared> prepared, Consumer<ImageOutcome> sink) {
        List<PreparedImage> ok = new ArrayList<>();
        for (Prepared p : prepared) {
            if (p.image() != null) {
                ok.add(p.image());
            }
        }
        long t0 = System.nanoTime();
        List<List<BoxFeatures>> feats = ok.isEmpty() ? List.of() : extractor.extract(ok);
        double encodeMillis = (System.nanoTime() - t0) / 1e6;
        int totalBoxes = ok.stream().mapToInt(i -> i.boxes().size()).sum();
        int k = 0;
        for (int i = 0; i < batch.size(); i++) {
            Prepared p = prepared.get(i);
            if (p.image() == null) {
                sink.accept(new ImageOutcome(batch.get(i).job(), null, null, p.error(), p.millis()));
            } else {
                double share =
                        totalBoxes == 0 ? 0 : encodeMillis * p.image().boxes().size() / totalBoxes;
                sink.accept(new ImageOutcome(batch.get(i).job(), p.image(), feats.get(k++), null, p.millis() + share));
            }
        }
    }

    // Every failure of one image, of any kind, stays that image's: the run goes on with the next.
    private Prepared prepare(ImageJob job) {
        long t0 = System.nanoTime();
        long cpu0 = StageTimes.cpuNow();
        try {
            PixelImage image = decoder.apply(job);
            extractor.times().add(StageTimes.Stage.DECODE, StageTimes.cpuNow() - cpu0);
            PreparedImage p = extractor.prepare(job.file().toString(), image, job.boxes());
            return new Prepared(p, null, (System.nanoTime() - t0) / 1e6);
        } catch (ImageDecodeException e) {
            return new Prepared(null, BoxError.of(e), (System.nanoTime() - t0) / 1e6);
        } catch (OutOfMemoryError e) {
            return new Prepared(null, BoxError.outOfMemory(job.file().toString()), 0);
        } catch (RuntimeException e) {
            return new Prepared(null, BoxError.unexpected(job.file().toString(), e), (System.nanoTime() - t0) / 1e6);
        }
    }

    private static Prepared await(Pending p) {
        try {
            return p.future().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while preparing " + p.job().file(), e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("preparing " + p.job().file() + " failed: " + c, c);
        }
    }
}
