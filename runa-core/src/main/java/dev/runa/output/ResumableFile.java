package dev.runa.output;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.runa.io.AtomicFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An output file written atomically and resumably. While the run goes, rows are appended to
 * {@code FILE.partial} (flushed per image) and the run's settings sit in
 * {@code FILE.partial.settings.json}; {@link #finish()} moves the partial to {@code FILE} and removes
 * the settings. When a partial already exists, {@link #open} keeps the images it holds complete
 * (dropping a truncated last line and an incomplete image), rounded down to a multiple of
 * {@code alignment} images so that the resumed run sees the same encoder batches, and refuses a
 * partial made with other settings.
 */
public final class ResumableFile implements RowSink {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path target;
    private final Path partial;
    private final Path settingsFile;
    private final OutputStream out;
    private final int resumedImages;

    private ResumableFile(Path target, Path partial, Path settingsFile, OutputStream out, int resumedImages) {
        this.target = target;
        this.partial = partial;
        this.settingsFile = settingsFile;
        this.out = out;
        this.resumedImages = resumedImages;
    }

    /** The partial file rows go to while a run writes {@code target}. */
    public static Path partialOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".partial");
    }

    /** The settings sidecar of the partial file. */
    public static Path settingsOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".partial.settings.json");
    }

    /**
     * Opens {@code target} for a run with these settings, resuming a compatible partial.
     *
     * @param settings  everything the rows depend on (model, scoring settings, inputs, format...)
     * @param alignment resume only at a multiple of this many images
     * @throws IOException when a partial made with other settings exists, naming the fields
     */
    public static ResumableFile open(Path target, RowFormat format, Map<String, String> settings, int alignment)
            throws IOException {
        Path partial = partialOf(target);
        Path settingsFile = settingsOf(target);
        int resumed = 0;
        long keepBytes = 0;
        if (Files.exists(partial)) {
            Map<String, String> before = readSettings(settingsFile, partial);
            List<String> diff = differences(before, settings);
            if (!diff.isEmpty()) {
                throw new IOException(partial + " is left from a run with different settings ("
                        + String.join("; ", diff)
                        + "): run with the same arguments to resume it, or delete " + partial + " and " + settingsFile
                        + " to start over");
            }
            long[] scan = completeImages(Files.readAllBytes(partial), format, alignment);
            resumed = (int) scan[0];
            keepBytes = scan[1];
            try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                ch.truncate(keepBytes);
            }
        } else {
            Files.deleteIfExists(settingsFile);
            Path dir = target.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            AtomicFile.write(settingsFile, JSON.writeValueAsBytes(settings));
            Files.write(partial, new byte[0]);
        }
        OutputStream out = Files.newOutputStream(partial, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        ResumableFile f = new ResumableFile(target, partial, settingsFile, out, resumed);
        if (keepBytes == 0 && format.header() != null) {
            f.write(List.of(format.header()));
        }
        return f;
    }

    /** Images already complete in the partial file; the run starts with the job of this index. */
    public int resumedImages() {
        return resumedImages;
    }

    @Override
    public void writeImage(List<String> lines) throws IOException {
        write(lines);
    }

    private void write(List<String> lines) throws IOException {
        RowSink.writeLines(out, lines);
    }

    @Override
    public void finish() throws IOException {
        out.close();
        AtomicFile.moveIntoPlace(partial, target);
        Files.deleteIfExists(settingsFile);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static Map<String, String> readSettings(Path settingsFile, Path partial) throws IOException {
        if (!Files.exists(settingsFile)) {
            throw new IOException(partial + " exists but its settings file " + settingsFile
                    + " is missing, so it cannot be resumed safely: delete " + partial + " to start over");
        }
        try {
            return JSON.readValue(settingsFile.toFile(), new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (IOException e) {
            throw new IOException(
                    settingsFile + ": unreadable (" + e.getMessage() + "): delete it and " + partial + " to start over",
                    e);
        }
    }

    private static List<String> differences(Map<String, String> before, Map<String, String> now) {
        List<String> out = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>(now.keySet());
        keys.addAll(before.keySet());
        for (String k : keys) {
            String a = before.get(k);
            String b = now.get(k);
            if (a == null ? b != null : !a.equals(b)) {
                out.add(k + ": '" + a + "' (partial) vs '" + b + "' (now)");
            }
        }
        return out;
    }

    /**
     * {complete images (aligned), byte length of the header plus their rows}. Reading stops at the
     * first line that is truncated, unparsable or out of sequence.
     */
    static long[] completeImages(byte[] data, RowFormat format, int alignment) {
        int pos = 0;
        long headerEnd = 0;
        if (format.header() != null) {
            int nl = indexOf(data, pos);
            if (nl < 0 || !new String(data, 0, nl, StandardCharsets.UTF_8).equals(format.header())) {
                return new long[] {0, 0};
            }
            pos = nl + 1;
            headerEnd = pos;
        }
        List<Long> imageEnds = new ArrayList<>(); // byte offset after image i's last row
        int expectImage = 0;
        int expectBox = 0;
        int nBoxes = -1;
        while (pos < data.length) {
            int nl = indexOf(data, pos);
            if (nl < 0) {
                break; // truncated last line
            }
            RowPosition p;
            try {
                p = format.position(new String(data, pos, nl - pos, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                break;
            }
            if (p.imageIndex() != expectImage
                    || p.boxIndex() != expectBox
                    || p.nBoxes() < 1
                    || (expectBox > 0 && p.nBoxes() != nBoxes)) {
                break;
            }
            nBoxes = p.nBoxes();
            pos = nl + 1;
            expectBox++;
            if (expectBox == nBoxes) {
                imageEnds.add((long) pos);
                expectImage++;
                expectBox = 0;
            }
        }
        int complete = imageEnds.size() / alignment * alignment;
        long bytes = complete == 0 ? headerEnd : imageEnds.get(complete - 1);
        return new long[] {complete, bytes};
    }

    private static int indexOf(byte[] data, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
