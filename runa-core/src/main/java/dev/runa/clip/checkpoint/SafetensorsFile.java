package dev.runa.clip.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.tensor.DType;
import dev.runa.tensor.Shapes;
import dev.runa.tensor.TensorView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A memory-mapped <a href="https://github.com/huggingface/safetensors">safetensors</a> file.
 *
 * <p>Layout: an unsigned 64-bit little-endian header length {@code N}, {@code N} bytes of JSON
 * (an object of {@code name -> {dtype, shape, data_offsets}} plus an optional string map
 * {@code __metadata__}), then the data area; offsets are relative to the data area. The header
 * is validated completely at {@link #open(Path)}; tensor bytes are never copied onto the heap:
 * {@link #tensor(String)} returns a little-endian slice of a read-only mapping.
 *
 * <p>A single mapping is limited to 2 GiB by {@link ByteBuffer}; larger files are mapped as
 * several consecutive windows, each holding whole tensors. The mappings stay valid until they are
 * garbage collected; {@link #close()} closes the channel and makes further lookups fail.
 */
public final class SafetensorsFile extends TensorFile {

    /** The reference implementation refuses headers above 100 MB; so do we (a real one is kilobytes). */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, Map<String, TensorView> tensors, Map<String, String> metadata) {
        super(path, tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * Opens, validates and maps a safetensors file.
     *
     * @throws CheckpointException naming the file and the problem when it is unreadable or malformed
     */
    public static SafetensorsFile open(Path path) {
        return open(path, Integer.MAX_VALUE);
    }

    /** As {@link #open(Path)}, with a smaller mapping window so that tests can exercise multi-window files. */
    static SafetensorsFile open(Path path, long maxWindowBytes) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) {
                throw fail(path, "file is " + fileSize + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, path);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 0 || headerLen > MAX_HEADER_BYTES) {
                throw fail(
                        path,
                        "header length " + Long.toUnsignedString(headerLen) + " is absurd (limit " + MAX_HEADER_BYTES
                                + " bytes); not a safetensors file?");
            }
            if (headerLen > fileSize - 8) {
                throw fail(
                        path,
                        "header length " + headerLen + " exceeds the file size " + fileSize + " (truncated file?)");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8, path);
            long dataStart = 8 + headerLen;
            long dataSize = fileSize - dataStart;
            Header header = parseHeader(path, new String(headerBuf.array(), StandardCharsets.UTF_8), dataSize);
            Map<String, TensorView> views = mapTensors(path, ch, dataStart, header.entries, maxWindowBytes);
            return new SafetensorsFile(path, views, header.metadata);
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot read safetensors file: " + e.getMessage(), e);
        }
    }

    /** The {@code __metadata__} string map (empty when the header has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** One header entry; offsets relative to the data area. */
    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    private record Header(List<Entry> entries, Map<String, String> metadata) {}

    private static Header parseHeader(Path path, String json, long dataSize) {
        JsonNode root;
        try {
            ObjectMapper mapper = new ObjectMapper();
            mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw fail(path, "header is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw fail(path, "header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode node = f.getValue();
            if (name.equals(METADATA_KEY)) {
                if (!node.isObject()) {
                    throw fail(path, "__metadata__ is not an object");
                }
                node.fields().forEachRemaining(m -> {
                    if (!m.getValue().isTextual()) {
                        throw fail(path, "__metadata__ value '" + m.getKey() + "' is not a string");
                    }
                    metadata.put(m.getKey(), m.getValue().asText());
                });
                continue;
            }
            entries.add(parseEntry(path, name, node, dataSize));
        }
        checkOverlaps(path, entries);
        return new Header(entries, metadata);
    }

    private static Entry parseEntry(Path path, String name, JsonNode node, long dataSize) {
        String where = "tensor '" + name + "': ";
        if (!node.isObject()) {
            throw fail(path, where + "entry is not an object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw fail(path, where + "missing or non-string dtype");
        }
        DType dtype = DType.fromSafetensors(dtypeNode.asText())
                .orElseThrow(() -> fail(path, where + "unknown dtype '" + dtypeNode.asText() + "'"));
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw fail(path, where + "shape is not a list");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw fail(path, where + "shape " + shapeNode + " is not a list of non-negative integers");
            }
            shape[i] = d.asLong();
        }
        JsonNode offs = node.get("data_offsets");
        if (offs == null
                || !offs.isArray()
                || offs.size() != 2
                || !isNonNegativeLong(offs.get(0))
                || !isNonNegativeLong(offs.get(1))) {
            throw fail(path, where + "data_offsets " + offs + " is not [begin, end] of non-negative integers");
        }
        long begin = offs.get(0).asLong();
        long end = offs.get(1).asLong();
        if (begin > end) {
            throw fail(path, where + "data_offsets [" + begin + ", " + end + "] has begin > end");
        }
        if (end > dataSize) {
            throw fail(
                    path,
                    where + "data_offsets [" + begin + ", " + end + "] lie outside the data area of " + dataSize
                            + " bytes (truncated file?)");
        }
        long expected;
        try {
            expected = Math.multiplyExact(Shapes.numel(shape), (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw fail(path, where + "shape " + Arrays.toString(shape) + " overflows");
        }
        if (end - begin != expected) {
            throw fail(
                    path,
                    where + (end - begin) + " bytes in data_offsets but shape " + Arrays.toString(shape) + " of "
                            + dtype + " needs " + expected);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static boolean isNonNegativeLong(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 0;
    }

    private static void checkOverlaps(Path path, List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        Entry prev = null;
        for (Entry e : sorted) {
            if (e.begin == e.end) {
                continue; // empty tensors occupy no bytes and cannot overlap anything
            }
            if (prev != null && e.begin < prev.end) {
                throw fail(
                        path,
                        "tensors '" + prev.name + "' [" + prev.begin + ", " + prev.end + ") and '" + e.name + "' ["
                                + e.begin + ", " + e.end + ") overlap");
            }
            prev = e;
        }
    }

    /**
     * Maps the data area as few windows as possible, each at most {@code maxWindow} bytes and
     * holding whole tensors, then slices one view per tensor.
     */
    private static Map<String, TensorView> mapTensors(
            Path path, FileChannel ch, long dataStart, List<Entry> entries, long maxWindow) throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin));
        Map<String, TensorView> byName = new LinkedHashMap<>();
        int i = 0;
        while (i < sorted.size()) {
            long winBegin = sorted.get(i).begin;
            int j = i;
            long winEnd = winBegin;
            while (j < sorted.size() && sorted.get(j).end - winBegin <= maxWindow) {
                winEnd = Math.max(winEnd, sorted.get(j).end);
                j++;
            }
            if (j == i) {
                Entry big = sorted.get(i);
                throw fail(
                        path,
                        "tensor '" + big.name + "' has " + (big.end - big.begin)
                                + " bytes, more than one buffer can address (" + maxWindow + ")");
            }
            ByteBuffer window = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + winBegin, winEnd - winBegin)
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int k = i; k < j; k++) {
                Entry e = sorted.get(k);
                ByteBuffer slice = window.slice((int) (e.begin - winBegin), (int) (e.end - e.begin))
                        .order(ByteOrder.LITTLE_ENDIAN);
                byName.put(e.name, new TensorView(e.name, e.dtype, e.shape, slice));
            }
            i = j;
        }
        // Keep the header's order: it is what users see when listing a file.
        Map<String, TensorView> ordered = new LinkedHashMap<>();
        for (Entry e : entries) {
            ordered.put(e.name, byName.get(e.name));
        }
        return ordered;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path path) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw fail(path, "unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    private static CheckpointException fail(Path path, String problem) {
        return new CheckpointException(path + ": " + problem);
    }
}
