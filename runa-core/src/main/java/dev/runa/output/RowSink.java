package dev.runa.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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

    /**
     * Writes lines, each ended by a newline, in one write and flushes: a killed run leaves at most
     * one torn last line, which resuming drops.
     */
    static void writeLines(OutputStream out, List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
