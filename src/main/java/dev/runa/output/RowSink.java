package dev.runa.output;

import java.io.IOException;
import java.util.List;

/** Where a run's rows go, one image's rows at a time. */
public interface RowSink extends AutoCloseable {
    /** Writes one image's rows (lines without newlines) in one piece. */
    void writeImage(List<String> lines) throws IOException;

    /** Marks the run complete (for a file: moves it into place). */
    void finish() throws IOException;

    /** Releases the sink; an unfinished file output stays resumable. */
    @Override
    void close() throws IOException;
}
