package dev.runa.clip.checkpoint;

import dev.runa.clip.checkpoint.RestrictedUnpickler.Global;
import dev.runa.clip.checkpoint.RestrictedUnpickler.Tuple;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A {@code torch.save} checkpoint ({@code pytorch_model.bin}, zip format of PyTorch 1.6+) read
 * without running its pickle.
 *
 * <p>The archive holds {@code ARCHIVE/data.pkl} (the pickled object, usually a state dict) and one
 * member {@code ARCHIVE/data/KEY} per storage. The pickle is evaluated by a
 * {@link RestrictedUnpickler} that allows only {@code collections.OrderedDict}, the tensor
 * rebuild functions and the typed storage classes; storages arrive as persistent ids
 * {@code ('storage', StorageType, key, location, numel)}. Storages stored uncompressed (as torch
 * writes them) are memory-mapped; compressed ones are inflated into direct buffers.
 *
 * <p>Nested dicts (e.g. {@code {"state_dict": {...}}}) are flattened with dotted names;
 * non-tensor values are ignored. Only contiguous tensors are supported (checkpoints of CLIP only
 * hold contiguous ones).
 */
public final class TorchCheckpointFile extends TensorFile {

    private static final Map<String, DType> STORAGE_TYPES = Map.ofEntries(
            Map.entry("torch.FloatStorage", DType.F32),
            Map.entry("torch.HalfStorage", DType.F16),
            Map.entry("torch.BFloat16Storage", DType.BF16),
            Map.entry("torch.DoubleStorage", DType.F64),
            Map.entry("torch.LongStorage", DType.I64),
            Map.entry("torch.IntStorage", DType.I32),
            Map.entry("torch.ShortStorage", DType.I16),
            Map.entry("torch.CharStorage", DType.I8),
            Map.entry("torch.ByteStorage", DType.U8),
            Map.entry("torch.BoolStorage", DType.BOOL));
    private static final String ORDERED_DICT = "collections.OrderedDict";
    private static final String REBUILD_TENSOR_V2 = "torch._utils._rebuild_tensor_v2";
    private static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";

    private TorchCheckpointFile(Path path, Map<String, TensorView> tensors) {
        super(path, tensors);
    }

    /**
     * Opens the archive, evaluates its pickle under the allow-list and maps every tensor.
     *
     * @throws CheckpointException naming the file and the problem (truncated archive, missing
     *                             {@code data.pkl} or storage, forbidden global, unsupported opcode, ...)
     */
    public static TorchCheckpointFile open(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ZipDirectory zip = ZipDirectory.read(path, ch);
            ZipDirectory.Entry pkl = null;
            for (ZipDirectory.Entry e : zip.entries().values()) {
                String n = e.name();
                if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) {
                    if (pkl != null) {
                        throw new CheckpointException(path + ": more than one data.pkl in the archive");
                    }
                    pkl = e;
                }
            }
            if (pkl == null) {
                throw new CheckpointException(path + ": no ARCHIVE/data.pkl member; not a torch.save zip checkpoint "
                        + "(legacy non-zip torch files are not supported)");
            }
            String prefix = pkl.name().substring(0, pkl.name().length() - "data.pkl".length());
            checkByteOrder(path, zip, prefix);
            Loader loader = new Loader(path, zip, prefix);
            Object root = new RestrictedUnpickler(
                            path.toString(), loader.allowedGlobals(), loader::persistentLoad, loader::reduce)
                    .load(zip.heapBytes(pkl));
            Map<String, TensorView> out = new LinkedHashMap<>();
            flatten(path, "", root, out, 0);
            if (out.isEmpty()) {
                throw new CheckpointException(path + ": the pickle holds no tensors");
            }
            return new TorchCheckpointFile(path, out);
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot read torch checkpoint: " + e.getMessage(), e);
        }
    }

    private static void checkByteOrder(Path path, ZipDirectory zip, String prefix) throws IOException {
        ZipDirectory.Entry bo = zip.entries().get(prefix + "byteorder");
        if (bo != null) {
            String order = new String(zip.heapBytes(bo), StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw new CheckpointException(
                        path + ": storages are " + order + "-endian; only little-endian is supported");
            }
        }
    }

    /** Nesting limit: a pickle can build a dict that contains itself, and real checkpoints nest two or three levels. */
    private static final int MAX_DEPTH = 16;

    private static void flatten(Path path, String prefix, Object value, Map<String, TensorView> out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new CheckpointException(path + ": dicts nested deeper than " + MAX_DEPTH + " levels at '" + prefix
                    + "' (self-referencing pickle?)");
        }
        if (value instanceof TensorView t) {
            String name = prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
            out.put(name, new TensorView(name, t.dtype(), t.shape(), t.data()));
        } else if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getKey() instanceof String k) {
                    flatten(path, prefix + k + ".", e.getValue(), out, depth + 1);
                }
            }
        }
    }

    /** A storage: its element type and bytes. */
    private record Storage(String key, DType dtype, ByteBuffer bytes) {}

    /** Resolves persistent ids to storages and performs the allowed calls. */
    private static final class Loader {
        private final Path path;
        private final ZipDirectory zip;
        private final String prefix;
        private final Map<String, Storage> storages = new HashMap<>();

        Loader(Path path, ZipDirectory zip, String prefix) {
            this.path = path;
            this.zip = zip;
            this.prefix = prefix;
        }

        Set<String> allowedGlobals() {
            Set<String> s = new HashSet<>(STORAGE_TYPES.keySet());
            s.add(ORDERED_DICT);
            s.add(REBUILD_TENSOR_V2);
            s.add(REBUILD_PARAMETER);
            return s;
        }

        Object persistentLoad(Tuple pid) {
            if (pid.size() != 5
                    || !"storage".equals(pid.get(0))
                    || !(pid.get(1) instanceof Global type)
                    || !(pid.get(2) instanceof String key)
                    || !(pid.get(4) instanceof Long numel)) {
                throw fail("unsupported persistent id " + pid.items()
                        + " (expected ('storage', type, key, location, numel))");
            }
            DType dtype = STORAGE_TYPES.get(type.qualified());
            if (dtype == null) {
                throw fail("persistent id names " + type.qualified() + ", not a storage type");
            }
            Storage cached = storages.get(key);
            if (cached != null) {
                return cached;
            }
            ZipDirectory.Entry entry = zip.entries().get(prefix + "data/" + key);
            if (entry == null) {
                throw fail("storage '" + key + "' is missing: no member " + prefix + "data/" + key);
            }
            long need = numel * dtype.byteSize();
            if (numel < 0 || entry.size() < need) {
                throw fail("storage '" + key + "' has " + entry.size() + " bytes, fewer than " + numel + " x " + dtype
                        + " (truncated?)");
            }
            try {
                Storage s = new Storage(key, dtype, zip.bytes(entry));
                storages.put(key, s);
                return s;
            } catch (IOException e) {
                throw new CheckpointException(path + ": cannot read storage '" + key + "': " + e.getMessage(), e);
            }
        }

        Object reduce(Global callable, Tuple args) {
            switch (callable.qualified()) {
                case ORDERED_DICT -> {
                    if (args.size() != 0) {
                        throw fail("OrderedDict called with arguments");
                    }
                    return new LinkedHashMap<>();
                }
                case REBUILD_TENSOR_V2 -> {
                    return rebuildTensor(args);
                }
                case REBUILD_PARAMETER -> {
                    // _rebuild_parameter(data, requires_grad, backward_hooks): a Parameter is its data here.
                    if (args.size() < 1 || !(args.get(0) instanceof TensorView)) {
                        throw fail("_rebuild_parameter without a tensor");
                    }
                    return args.get(0);
                }
                default -> throw fail("refusing to call " + callable.qualified());
            }
        }

        /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
        private TensorView rebuildTensor(Tuple args) {
            if (args.size() < 4
                    || !(args.get(0) instanceof Storage st)
                    || !(args.get(1) instanceof Long offset)
                    || !(args.get(2) instanceof Tuple size)
                    || !(args.get(3) instanceof Tuple stride)) {
                throw fail("malformed _rebuild_tensor_v2 arguments");
            }
            long[] shape = longs(size, "size");
            long[] strides = longs(stride, "stride");
            if (shape.length != strides.length) {
                throw fail("storage '" + st.key + "': size " + Arrays.toString(shape) + " and stride "
                        + Arrays.toString(strides) + " differ in rank");
            }
            long expect = 1;
            for (int i = shape.length - 1; i >= 0; i--) {
                if (shape[i] != 1 && strides[i] != expect) {
                    throw fail("storage '" + st.key + "': tensor of size " + Arrays.toString(shape)
                            + " has non-contiguous stride " + Arrays.toString(strides)
                            + "; only contiguous tensors are supported");
                }
                expect *= shape[i];
            }
            long numel = Shapes.numel(shape);
            int es = st.dtype.byteSize();
            long begin = offset * es;
            long end = begin + numel * es;
            if (offset < 0 || end > st.bytes.capacity()) {
                throw fail("storage '" + st.key + "': tensor at offset " + offset + " of size " + Arrays.toString(shape)
                        + " runs past the storage's " + st.bytes.capacity() + " bytes");
            }
            ByteBuffer slice = st.bytes.slice((int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            return new TensorView("storage " + st.key, st.dtype, shape, slice);
        }

        private long[] longs(Tuple t, String what) {
            long[] out = new long[t.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(t.get(i) instanceof Long v)) {
                    throw fail("tensor " + what + " " + t.items() + " is not a tuple of integers");
                }
                out[i] = v;
            }
            return out;
        }

        private CheckpointException fail(String problem) {
            return new CheckpointException(path + ": " + problem);
        }
    }
}
