package dev.runa.spark;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The output side of a partition task that works a batch of images at a time: {@link #fill} reads
 * the next batch from the input and {@link #emit}s its rows, which are then handed out one by one.
 * Only one batch's rows are held at a time. Arms the test-only {@link InjectedFailure} of the task.
 * One per task; not thread-safe.
 */
abstract class RowBatches implements Iterator<Row> {
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private final InjectedFailure injectedFailure;
    private long emitted;

    RowBatches(RunaSparkSettings settings) {
        this.injectedFailure = InjectedFailure.forThisTask(settings);
    }

    /** True while the input has rows that {@link #fill} has not read. */
    abstract boolean inputLeft();

    /** Reads the next batch of the input and emits its output rows (possibly none). */
    abstract void fill();

    final void emit(Row row) {
        ready.add(row);
    }

    @Override
    public final boolean hasNext() {
        while (ready.isEmpty() && inputLeft()) {
            fill();
        }
        return !ready.isEmpty();
    }

    @Override
    public final Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        injectedFailure.beforeEmitting(emitted);
        emitted++;
        return ready.poll();
    }

    /** {@code row}'s values followed by those of each of {@code columns}, in order. */
    static Row appended(Row row, Object[]... columns) {
        int n = row.size();
        for (Object[] c : columns) {
            n += c.length;
        }
        Object[] values = new Object[n];
        for (int i = 0; i < row.size(); i++) {
            values[i] = row.get(i);
        }
        int at = row.size();
        for (Object[] c : columns) {
            System.arraycopy(c, 0, values, at, c.length);
            at += c.length;
        }
        return RowFactory.create(values);
    }
}
