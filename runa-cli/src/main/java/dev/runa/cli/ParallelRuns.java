package dev.runa.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Times a task run over and over by {@code callers} threads at once (each after one warm-up run):
 * the throughput of independent batches in parallel, for comparing several encoder sessions with
 * one session over all threads.
 */
final class ParallelRuns {
    private ParallelRuns() {}

    /** Completed runs (all callers together) and the wall time they took. */
    record Result(int runs, long nanos) {}

    static Result time(int callers, double minSeconds, Runnable task) {
        if (callers == 1) {
            task.run(); // warm-up: allocations, arena growth, caches
            int runs = 0;
            long start = System.nanoTime();
            long elapsed;
            do {
                task.run();
                runs++;
                elapsed = System.nanoTime() - start;
            } while (runs < 2 || elapsed < minSeconds * 1e9);
            return new Result(runs, elapsed);
        }
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> warm = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                warm.add(pool.submit(task));
            }
            join(warm);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger runs = new AtomicInteger();
            long start = System.nanoTime();
            List<Future<?>> loops = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                loops.add(pool.submit(() -> {
                    while (!stop.get()) {
                        task.run();
                        runs.incrementAndGet();
                        if (System.nanoTime() - start >= minSeconds * 1e9 && runs.get() >= 2 * callers) {
                            stop.set(true);
                        }
                    }
                }));
            }
            join(loops);
            // Runs still in flight when the time was up count fully: the wall time includes them.
            return new Result(runs.get(), System.nanoTime() - start);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void join(List<Future<?>> fs) {
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}
