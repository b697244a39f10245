package dev.runa.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Rows to a stream (standard output), header first; flushed per image. */
public final class StreamSink implements RowSink {
    private final OutputStream out;

    public StreamSink(OutputStream out, RowFormat format) throws IOException {
        this.out = out;
        if (format.header() != null) {
            out.write((format.header() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void writeImage(List<String> lines) throws IOException {
        RowSink.writeLines(out, lines);
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
