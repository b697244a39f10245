package dev.runa.server;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Admission to the object detector of {@code POST /v1/detect}: one detector run at a time (a run
 * already uses every ONNX Runtime thread the detector was opened with), at most {@code waiting}
 * requests waiting for it, each at most {@code timeout}. Beyond that a request gets 429 at once,
 * so an overloaded server refuses before it spends a detection whose RUNA part the encoder's full
 * queue would refuse anyway, and request threads never pile up on the detector. Thread-safe.
 */
final class DetectorGate {
    private final Semaphore running = new Semaphore(1, true);
    private final int waiting;
    private final Duration timeout;
    private final AtomicInteger admitted = new AtomicInteger();
    private final Lock turns;

    /**
     * @param waiting most requests waiting for the detector (the service's queue capacity)
     * @param timeout longest a request waits for its turn before 503
     */
    DetectorGate(int waiting, Duration timeout) {
        this(waiting, timeout, new ReentrantLock());
    }

    /**
     * @param turns held around every detection: a lock the encoder's batches take too, so that the
     *              detector's and the encoder's ONNX Runtime threads never share the cores
     */
    DetectorGate(int waiting, Duration timeout, Lock turns) {
        this.turns = turns;
        if (waiting < 0) {
            throw new IllegalArgumentException("waiting must be >= 0, got " + waiting);
        }
        this.waiting = waiting;
        this.timeout = timeout;
    }

    /**
     * Runs {@code detection} when the detector is free.
     *
     * @throws ApiException 429 when {@code waiting} requests already wait, 503 after the timeout
     */
    <T> T run(Supplier<T> detection) {
        if (admitted.incrementAndGet() > waiting + 1) {
            admitted.decrementAndGet();
            throw new ApiException(
                    429, "too many requests waiting for the detector (" + waiting + "); retry shortly", null);
        }
        boolean turn = false;
        try {
            turn = running.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping: answered as a timeout
        }
        if (!turn) {
            admitted.decrementAndGet();
            throw new ApiException(
                    503, "no turn at the detector within " + timeout.toSeconds() + " s; retry shortly", null);
        }
        try {
            turns.lock();
            try {
                return detection.get();
            } finally {
                turns.unlock();
            }
        } finally {
            running.release();
            admitted.decrementAndGet();
        }
    }

    /** Requests waiting for their turn now (not counting the one running). */
    int waiting() {
        return Math.max(0, admitted.get() - 1);
    }
}
