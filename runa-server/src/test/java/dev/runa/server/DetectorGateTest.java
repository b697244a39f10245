package dev.runa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class DetectorGateTest {
    @Test
    void oneRunAtATimeBoundedWaitersAndTheRestRefusedAtOnce() throws Exception {
        DetectorGate gate = new DetectorGate(1, Duration.ofSeconds(30));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> first = pool.submit(() -> gate.run(() -> {
                most.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                inside.countDown();
                await(release);
                concurrent.decrementAndGet();
                return "first";
            }));
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            Future<String> second = pool.submit(() -> gate.run(() -> {
                most.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                concurrent.decrementAndGet();
                return "second";
            }));
            // The second request waits for its turn; a third finds the one waiting place taken.
            ApiException refused = waitForRefusal(gate);
            assertEquals(429, refused.status());
            assertTrue(refused.getMessage().contains("waiting for the detector"), refused.getMessage());
            release.countDown();
            assertEquals("first", first.get(10, TimeUnit.SECONDS));
            assertEquals("second", second.get(10, TimeUnit.SECONDS));
            assertEquals(1, most.get(), "never two detector runs at once");
            assertEquals("after", gate.run(() -> "after"), "the gate admits again once idle");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aRequestThatGetsNoTurnInTimeIs503AndLeavesNoTrace() throws Exception {
        DetectorGate gate = new DetectorGate(4, Duration.ofMillis(50));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> holder = pool.submit(() -> gate.run(() -> {
                inside.countDown();
                await(release);
                return "held";
            }));
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            ApiException e = assertThrows(ApiException.class, () -> gate.run(() -> "late"));
            assertEquals(503, e.status());
            release.countDown();
            assertEquals("held", holder.get(10, TimeUnit.SECONDS));
            for (int i = 0; i < 10; i++) {
                assertEquals("ok", gate.run(() -> "ok"), "timed-out and finished requests free their places");
            }
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void detectionWaitsWhileTheEncoderHoldsTheTurn() throws Exception {
        ReentrantLock turns = new ReentrantLock(true);
        DetectorGate gate = new DetectorGate(1, Duration.ofSeconds(30), turns);
        AtomicInteger ran = new AtomicInteger();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        turns.lock(); // the encoder's batch
        Future<Integer> detection;
        try {
            detection = pool.submit(() -> gate.run(ran::incrementAndGet));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!turns.hasQueuedThreads()) {
                assertTrue(System.nanoTime() < deadline, "the detection never waited for its turn");
                Thread.sleep(5);
            }
            assertEquals(0, ran.get(), "no detection while the encoder runs");
        } finally {
            turns.unlock();
        }
        try {
            assertEquals(1, detection.get(10, TimeUnit.SECONDS));
            assertFalse(turns.isLocked(), "the detection gave the turn back");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailingDetectionFreesTheDetector() {
        DetectorGate gate = new DetectorGate(0, Duration.ofSeconds(1));
        assertThrows(
                IllegalStateException.class,
                () -> gate.run(() -> {
                    throw new IllegalStateException("graph failed");
                }));
        assertEquals("ok", gate.run(() -> "ok"));
    }

    // Waits (bounded) until the second request waits for its turn, then sends a third.
    private static ApiException waitForRefusal(DetectorGate gate) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gate.waiting() < 1) {
            assertTrue(System.nanoTime() < deadline, "the second request never started waiting");
            Thread.sleep(5);
        }
        return assertThrows(ApiException.class, () -> gate.run(() -> "third"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
