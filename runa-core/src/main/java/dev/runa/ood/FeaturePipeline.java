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
import java.util.concurrent.Executors;
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
    private final int viewsPerBatch;
    private final int imagesPerBatch;
    private final Function<ImageJob, PixelImage> decoder;

    /**
     * @param extractor     views and encoder
     * @param decode        image decoding options
     * @param workers       decoder threads
     * @param lookahead     images prepared ahead of inference (bounds memory)
     * @param viewsPerBatch gather images until about this many views, then run the encoder
     */
    public FeaturePipeline(
            BoxFeatureExtractor extractor, DecodeOptions decode, int workers, int lookahead, int viewsPerBatch) {
        if (workers < 1 || lookahead < 1 || viewsPerBatch < 1) {
            throw new IllegalArgumentException("workers, lookahead and views per batch must be >= 1");
        }
        this.extractor = extractor;
        this.decode = decode;
        this.workers = workers;
        this.lookahead = lookahead;
        this.viewsPerBatch = viewsPerBatch;
        this.imagesPerBatch = 0;
        this.decoder = job -> ImageDecoder.decode(job.file(), decode);
    }

    private FeaturePipeline(BoxFeatureExtractor extractor, DecodeOptions decode, int workers, int imagesPerBatch) {
        if (workers < 1 || imagesPerBatch < 1) {
            throw new IllegalArgumentException("workers and images per batch must be >= 1");
        }
        this.extractor = extractor;
        this.decode = decode;
        this.workers = workers;
        this.lookahead = Math.max(2 * imagesPerBatch, workers);
        this.viewsPerBatch = Integer.MAX_VALUE;
        this.imagesPerBatch = imagesPerBatch;
        this.decoder = job -> ImageDecoder.decode(job.file(), decode);
    }

    private FeaturePipeline(FeaturePipeline p, Function<ImageJob, PixelImage> decoder) {
        this.extractor = p.extractor;
        this.decode = p.decode;
        this.workers = p.workers;
        this.lookahead = p.lookahead;
        this.viewsPerBatch = p.viewsPerBatch;
        this.imagesPerBatch = p.imagesPerBatch;
        this.decoder = decoder;
    }

    // For tests: the same pipeline with another way to decode a job's image.
    FeaturePipeline withDecoder(Function<ImageJob, PixelImage> other) {
        return new FeaturePipeline(this, other);
    }

    /**
     * A pipeline whose encoder batches are fixed groups of {@code imagesPerBatch} consecutive jobs
     * (fewer at the end), whatever the decoders' timing. fp32 results move by ~1e-6 with batch
     * composition, so runs that must be reproducible to the last digit (resumable outputs) need
     * this: a run restarted at a multiple of {@code imagesPerBatch} sees the same batches.
     */
    public static FeaturePipeline fixedGroups(
            BoxFeatureExtractor extractor, DecodeOptions decode, int workers, int imagesPerBatch) {
        return new FeaturePipeline(extractor, decode, workers, imagesPerBatch);
    }

    private record Pending(ImageJob job, Future<Prepared> future) {}

    private record Prepared(PreparedImage image, String error, String reason, double millis) {}

    /** The reason of an image failure that is not a decoding problem (a bug, or a JVM limit). */
    public static final String UNEXPECTED_FAILURE = "unexpected failure";

    /** The reason of an image that did not fit in the JVM's memory. */
    public static final String OUT_OF_MEMORY = "out of memory";

    /** Processes every job, calling {@code sink} once per job, in input order, on the calling thread. */
    public void run(List<ImageJob> jobs, Consumer<ImageOutcome> sink) {
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "runa-decode");
            t.setDaemon(true);
            return t;
        });
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
                } while (imagesPerBatch > 0
                        ? batch.size() < imagesPerBatch && !queue.isEmpty()
                        : views < viewsPerBatch
                                && !queue.isEmpty()
                                && queue.peek().future().isDone());
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
                sink.accept(new ImageOutcome(batch.get(i).job(), null, null, p.error(), p.millis(), p.reason()));
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
        try {
            PixelImage image = decoder.apply(job);
            PreparedImage p = extractor.prepare(job.file().toString(), image, job.boxes());
            return new Prepared(p, null, null, (System.nanoTime() - t0) / 1e6);
        } catch (ImageDecodeException e) {
            return new Prepared(null, e.getMessage(), e.kind().label(), (System.nanoTime() - t0) / 1e6);
        } catch (OutOfMemoryError e) {
            return new Prepared(
                    null, job.file() + ": image too large to decode in this JVM's memory", OUT_OF_MEMORY, 0);
        } catch (RuntimeException e) {
            return new Prepared(
                    null,
                    job.file() + ": " + UNEXPECTED_FAILURE + " (" + e + ")",
                    UNEXPECTED_FAILURE,
                    (System.nanoTime() - t0) / 1e6);
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
