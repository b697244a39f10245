package dev.runa.clip.checkpoint;

import dev.runa.tensor.DType;
import dev.runa.tensor.TensorView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test utility writing {@code torch.save}-style archives: {@code ARCHIVE/data.pkl} with the same
 * opcode sequence as PyTorch's protocol-2 pickler (see {@code pytorch_model.bin} in the shared
 * reference), one {@code ARCHIVE/data/KEY} member per tensor and {@code ARCHIVE/version}.
 */
final class TorchCheckpointWriter {

    private final Map<String, TensorView> tensors = new LinkedHashMap<>();

    TorchCheckpointWriter add(TensorView t) {
        tensors.put(t.name(), t);
        return this;
    }

    TorchCheckpointWriter addF32(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return add(new TensorView(name, DType.F32, shape, b));
    }

    /** The pickle of an OrderedDict name -> tensor, storage keys 0, 1, 2, ... */
    byte[] pickle() {
        Pickle p = new Pickle();
        p.op(0x80).op(2); // PROTO 2
        p.op('}').op('('); // EMPTY_DICT MARK
        int key = 0;
        for (TensorView t : tensors.values()) {
            p.unicode(t.name());
            p.global("torch._utils", "_rebuild_tensor_v2");
            p.op('(').op('('); // MARK (args) MARK (pid)
            p.unicode("storage")
                    .global("torch", storageType(t.dtype()))
                    .unicode(Integer.toString(key++))
                    .unicode("cpu")
                    .binint(t.numel());
            p.op('t').op('Q'); // TUPLE BINPERSID
            p.binint(0); // storage offset
            long[] shape = t.shape();
            p.op('(');
            for (long d : shape) {
                p.binint(d);
            }
            p.op('t');
            p.op('(');
            long stride = 1;
            long[] strides = new long[shape.length];
            for (int i = shape.length - 1; i >= 0; i--) {
                strides[i] = stride;
                stride *= shape[i];
            }
            for (long s : strides) {
                p.binint(s);
            }
            p.op('t');
            p.op(0x89); // NEWFALSE requires_grad
            p.global("collections", "OrderedDict").op(')').op('R'); // backward_hooks = OrderedDict()
            p.op('t').op('R'); // TUPLE REDUCE
        }
        p.op('u').op('.'); // SETITEMS STOP
        return p.bytes();
    }

    /** Writes the archive with the members a real torch.save writes. */
    void write(Path file, boolean compress) throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("archive/data.pkl", pickle());
        int key = 0;
        for (TensorView t : tensors.values()) {
            ByteBuffer d = t.data().duplicate();
            byte[] b = new byte[d.remaining()];
            d.get(b);
            members.put("archive/data/" + key++, b);
        }
        members.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        writeZip(file, members, compress);
    }

    /** Writes any set of members, stored (as torch does) or deflated. */
    static void writeZip(Path file, Map<String, byte[]> members, boolean compress) throws IOException {
        try (OutputStream os = Files.newOutputStream(file);
                ZipOutputStream zos = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                ZipEntry e = new ZipEntry(m.getKey());
                if (compress) {
                    e.setMethod(ZipEntry.DEFLATED);
                } else {
                    CRC32 crc = new CRC32();
                    crc.update(m.getValue());
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(m.getValue().length);
                    e.setCompressedSize(m.getValue().length);
                    e.setCrc(crc.getValue());
                }
                zos.putNextEntry(e);
                zos.write(m.getValue());
                zos.closeEntry();
            }
        }
    }

    private static String storageType(DType t) {
        return switch (t) {
            case F32 -> "FloatStorage";
            case F16 -> "HalfStorage";
            case BF16 -> "BFloat16Storage";
            case I64 -> "LongStorage";
            default -> throw new IllegalArgumentException("no storage type for " + t);
        };
    }

    /** A tiny pickle assembler for hand-written (and hostile) programs. */
    static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int opcode) {
            out.write(opcode);
            return this;
        }

        Pickle raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Pickle unicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            writeInt(b.length);
            return raw(b);
        }

        Pickle global(String module, String name) {
            op('c');
            return raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        }

        Pickle binint(long v) {
            if (v >= 0 && v < 256) {
                return op('K').op((int) v);
            }
            if (v >= 0 && v < 65536) {
                op('M');
                out.write((int) v & 0xFF);
                out.write((int) (v >>> 8) & 0xFF);
                return this;
            }
            op('J');
            writeInt((int) v);
            return this;
        }

        private void writeInt(int v) {
            for (int i = 0; i < 4; i++) {
                out.write((v >>> (8 * i)) & 0xFF);
            }
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
