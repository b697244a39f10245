package dev.runa.output;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Rows to a character stream (a command line's standard output), header first; flushed per image.
 * Not thread-safe; does not close the writer, which its caller owns.
 */
public final class StreamSink implements RowSink {
    private final Writer out;

    public StreamSink(Writer out, RowFormat format) throws IOException {
        this.out = out;
        if (format.header() != null) {
            out.write(format.header() + "\n");
        }
    }

    @Override
    public void writeImage(List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        out.write(sb.toString());
        out.flush();
    }

    @Override
    public void finish() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
