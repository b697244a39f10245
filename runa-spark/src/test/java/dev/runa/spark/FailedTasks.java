package dev.runa.spark;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/** Counts the failed task attempts of a Spark context while open (for the injected-failure tests). */
final class FailedTasks extends SparkListener implements AutoCloseable {
    private final SparkContext context;
    private final AtomicInteger failed = new AtomicInteger();

    FailedTasks(SparkContext context) {
        this.context = context;
        context.addSparkListener(this);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskInfo().failed()) {
            failed.incrementAndGet();
        }
    }

    /** The failures so far, once at least one arrived or 10 s passed (listener events are asynchronous). */
    int awaitAny() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (failed.get() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        return failed.get();
    }

    @Override
    public void close() {
        context.removeSparkListener(this);
    }
}
