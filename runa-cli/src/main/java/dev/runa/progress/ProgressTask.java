package dev.runa.progress;

/** One long-running task's progress, as {@link ProgressPolicy} shows it. Used from one thread. */
public interface ProgressTask extends AutoCloseable {
    /** The work done so far, in the task's units. */
    void stepTo(long done);

    /** {@code n} more units done. */
    void stepBy(long n);

    /** A short note shown with the progress (e.g. the current loss). */
    default void message(String note) {}

    /** Ends the task (a last line in line mode). */
    @Override
    void close();
}
