package dev.runa.spark;

import org.apache.spark.TaskContext;

/**
 * The test-only failure of {@link RunaSparkSettings#failFirstAttemptOfPartition()}: armed only in the
 * first attempt of that partition's task, it throws after the task has emitted one row, so tests
 * can show that Spark's retry neither loses nor duplicates rows. Disarmed (always, outside tests)
 * when the setting is -1. One per task; not thread-safe.
 */
final class InjectedFailure {
    private final int partition;
    private final boolean armed;

    private InjectedFailure(int partition, boolean armed) {
        this.partition = partition;
        this.armed = armed;
    }

    /** The failure for the task running now (none outside a Spark task). */
    static InjectedFailure forThisTask(RunaSparkSettings settings) {
        int p = settings.failFirstAttemptOfPartition();
        TaskContext task = TaskContext.get();
        return new InjectedFailure(p, p >= 0 && task != null && task.partitionId() == p && task.attemptNumber() == 0);
    }

    /** Throws when armed and the task has already emitted one row. */
    void beforeEmitting(long emittedSoFar) {
        if (armed && emittedSoFar == 1) {
            throw new IllegalStateException("injected failure of the first attempt of partition " + partition
                    + " (test setting failFirstAttemptOfPartition)");
        }
    }
}
