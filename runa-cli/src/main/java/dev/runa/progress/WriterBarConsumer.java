package dev.runa.progress;

import java.io.PrintWriter;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;

/**
 * Draws a progress bar on a command's error writer (picocli's {@code getErr()}) the way progressbar's
 * console consumer draws it on a stream: each frame after a carriage return, one column short of the
 * terminal so that the line never wraps, and a newline when the bar closes. Used by one bar at a time.
 */
public final class WriterBarConsumer extends DelegatingProgressBarConsumer {
    private final PrintWriter err;

    public WriterBarConsumer(PrintWriter err) {
        super(frame -> {
            err.print("\r" + frame);
            err.flush();
        });
        this.err = err;
    }

    @Override
    public int getMaxRenderedLength() {
        return super.getMaxRenderedLength() - 1;
    }

    @Override
    public void close() {
        err.println();
        err.flush();
    }
}
