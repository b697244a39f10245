package dev.runa.server;

import dev.runa.ood.BoxFeatures;
import dev.runa.ood.BoxResult;
import dev.runa.ood.PreparedImage;
import dev.runa.ood.RunaDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Combines the views of concurrent requests into encoder batches: the first waiting image opens a
 * batch, which closes when it holds {@code maxBatch} views or {@code maxWaitMs} after that image
 * arrived, whichever comes first; one worker thread runs the encoder and hands every image its own
 * results. The queue is bounded: {@link #submit} refuses when it is full (the service's 429).
 *
 * <p>Batching never changes a result: fp32 on ONNX Runtime's CPU kernels computes every image of a
 * batch with the same per-row reduction order whatever its neighbours (BatchingTest checks it bit for
 * bit), and int8 quantizes activations with per-image scales. Thread-safe; owns its worker thread,
 * not the detector.
 */
final class DynamicBatcher implements AutoCloseable {
    /** Told about every encoder batch (metrics). */
    interface Listener {
        void batch(int images, int views, int boxes);
    }

    private record Task(PreparedImage image, int views, long enqueuedNanos, CompletableFuture<ScoredBoxes> result) {}

    private final RunaDetector runa;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<Task> queue;
    private final Listener listener;
    private final Lock turns;
    private final Thread worker;
    private volatile boolean closing;

    /**
     * @param runa      the detector (shared, not owned)
     * @param maxBatch  views per encoder batch
     * @param maxWaitMs longest wait for a batch to fill
     * @param capacity  images that may wait at once
     */
    DynamicBatcher(RunaDetector runa, int maxBatch, long maxWaitMs, int capacity, Listener listener) {
        this(runa, maxBatch, maxWaitMs, capacity, listener, new ReentrantLock());
    }

    /**
     * @param turns held around every encoder batch: a lock the object detector's runs take too, so
     *              that the two ONNX Runtime sessions take turns on the cores (RunaServer)
     */
    DynamicBatcher(RunaDetector runa, int maxBatch, long maxWaitMs, int capacity, Listener listener, Lock turns) {
        this.runa = runa;
        this.turns = turns;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.listener = listener;
        this.worker = new Thread(this::loop, "runa-batcher");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /**
     * Queues one prepared image.
     *
     * @return its results, completed by the worker thread
     * @throws ApiException 429 when the queue is full, 503 once closing
     */
    CompletableFuture<ScoredBoxes> submit(PreparedImage image) {
        if (closing) {
            throw new ApiException(503, "the service is shutting down", null);
        }
        int views = 0;
        for (PreparedImage.Prepared p : image.boxes()) {
            views += (p.regional() != null ? 1 : 0) + (p.global() != null ? 1 : 0);
        }
        Task t = new Task(image, views, System.nanoTime(), new CompletableFuture<>());
        if (!queue.offer(t)) {
            throw new ApiException(429, "too many requests waiting (" + queue.size() + "); retry shortly", null);
        }
        return t.result();
    }

    /** Images waiting for the encoder. */
    int queueDepth() {
        return queue.size();
    }

    private void loop() {
        while (true) {
            Task first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null;
                closing = true;
            }
            if (first == null) {
                if (closing && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            List<Task> batch = new ArrayList<>();
            batch.add(first);
            int views = first.views();
            long deadline = first.enqueuedNanos() + maxWaitNanos;
            while (views < maxBatch) {
                Task next = queue.peek();
                if (next != null && views + next.views() > maxBatch) {
                    break; // it opens the next batch
                }
                if (next == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || closing) {
                        break;
                    }
                    try {
                        next = queue.poll(left, TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        closing = true;
                        next = null;
                    }
                    if (next == null) {
                        break;
                    }
                } else {
                    queue.poll();
                }
                batch.add(next);
                views += next.views();
            }
            run(batch, views);
        }
    }

    private void run(List<Task> batch, int views) {
        List<PreparedImage> images = new ArrayList<>(batch.size());
        int boxes = 0;
        for (Task t : batch) {
            images.add(t.image());
            boxes += t.image().boxes().size();
        }
        long t0 = System.nanoTime();
        try {
            List<List<BoxFeatures>> feats;
            turns.lock();
            try {
                feats = runa.features(images);
            } finally {
                turns.unlock();
            }
            double millisPerBox = boxes == 0 ? 0 : (System.nanoTime() - t0) / 1e6 / boxes;
            for (int i = 0; i < batch.size(); i++) {
                List<BoxFeatures> f = feats.get(i);
                List<BoxResult> results = runa.results(images.get(i), f, millisPerBox);
                List<double[]> sims = new ArrayList<>(f.size());
                for (BoxFeatures bf : f) {
                    sims.add(bf == null ? null : runa.scorer().similarities(bf));
                }
                batch.get(i).result().complete(new ScoredBoxes(results, sims));
            }
            listener.batch(batch.size(), views, boxes);
        } catch (RuntimeException | Error e) {
            for (Task t : batch) {
                t.result().completeExceptionally(e);
            }
        }
    }

    /** Stops taking images, finishes every queued one, and waits (bounded) for the worker. */
    @Override
    public void close() {
        closing = true;
        try {
            worker.join(TimeUnit.MINUTES.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Anything left (the worker died or timed out) is refused rather than left hanging.
        for (Task t; (t = queue.poll()) != null; ) {
            t.result().completeExceptionally(new ApiException(503, "the service is shutting down", null));
        }
    }
}
