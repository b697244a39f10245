package dev.runa.clip.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.tensor.DType;
import dev.runa.tensor.Float16;
import dev.runa.tensor.Shapes;
import dev.runa.tensor.TensorView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors file (adapters, converted checkpoints, test fixtures).
 *
 * <p>As the reference implementation does, tensors are laid out by decreasing element size and
 * then by name (so every tensor is aligned to its element size), and the JSON header is padded
 * with spaces to a multiple of 8 bytes. The file is written to a temporary sibling and moved into
 * place, so readers never see a half-written file.
 *
 * <p>Not thread-safe; one writer builds one file.
 */
public final class SafetensorsWriter {

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, TensorView> tensors = new LinkedHashMap<>();

    /** Adds a {@code __metadata__} entry. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds all entries to {@code __metadata__}. */
    public SafetensorsWriter metadata(Map<String, String> entries) {
        metadata.putAll(entries);
        return this;
    }

    /** Adds a tensor (any dtype); the bytes are copied when {@link #write(Path)} runs, not now. */
    public SafetensorsWriter add(TensorView tensor) {
        if (tensor.name().equals(SafetensorsFile.METADATA_KEY)) {
            throw new IllegalArgumentException("'" + SafetensorsFile.METADATA_KEY + "' is reserved, not a tensor name");
        }
        if (tensors.putIfAbsent(tensor.name(), tensor) != null) {
            throw new IllegalArgumentException("tensor '" + tensor.name() + "' added twice");
        }
        return this;
    }

    /** Adds a tensor under another name. */
    public SafetensorsWriter add(String name, TensorView tensor) {
        return add(new TensorView(name, tensor.dtype(), tensor.shape(), tensor.data()));
    }

    /** Adds F32 values in row-major order. */
    public SafetensorsWriter addF32(String name, long[] shape, float[] values) {
        ByteBuffer b = allocate(name, shape, values.length, DType.F32);
        b.asFloatBuffer().put(values);
        return add(new TensorView(name, DType.F32, shape, b));
    }

    /** Adds values rounded to F16 (round to nearest even). */
    public SafetensorsWriter addF16(String name, long[] shape, float[] values) {
        ByteBuffer b = allocate(name, shape, values.length, DType.F16);
        for (int i = 0; i < values.length; i++) {
            b.putShort(i * 2, Float16.fromFloat(values[i]));
        }
        return add(new TensorView(name, DType.F16, shape, b));
    }

    /** Adds I64 values in row-major order. */
    public SafetensorsWriter addI64(String name, long[] shape, long[] values) {
        ByteBuffer b = allocate(name, shape, values.length, DType.I64);
        b.asLongBuffer().put(values);
        return add(new TensorView(name, DType.I64, shape, b));
    }

    private static ByteBuffer allocate(String name, long[] shape, int count, DType dtype) {
        if (Shapes.numel(shape) != count) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "': " + count + " values for shape " + Arrays.toString(shape));
        }
        return ByteBuffer.allocateDirect(count * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The header JSON, unpadded, for the given data order. */
    private byte[] header(List<TensorView> order) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject(SafetensorsFile.METADATA_KEY);
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (TensorView t : order) {
            ObjectNode e = root.putObject(t.name());
            e.put("dtype", t.dtype().safetensorsName());
            ArrayNode shape = e.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long size = t.data().remaining();
            e.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        try {
            return mapper.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise safetensors header", e);
        }
    }

    /**
     * Writes the file atomically (temporary sibling, then move), replacing any existing file.
     *
     * @throws IOException when the file cannot be written; no partial file is left behind
     */
    public void write(Path target) throws IOException {
        List<TensorView> order = new ArrayList<>(tensors.values());
        order.sort(
                Comparator.comparingInt((TensorView t) -> -t.dtype().byteSize()).thenComparing(TensorView::name));
        byte[] json = header(order);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded);
        head.put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();

        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dev.runa.io.AtomicFile.createTempSibling(target);
        try {
            try (FileChannel ch =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, head);
                for (TensorView t : order) {
                    writeFully(ch, t.data().duplicate());
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
