package dev.runa.clip.checkpoint;

import static dev.runa.clip.checkpoint.SafetensorsFileTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.checkpoint.TorchCheckpointWriter.Pickle;
import dev.runa.tensor.TensorView;
import dev.runa.testing.SharedReference;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchCheckpointFileTest {

    @TempDir
    Path dir;

    private static float[] ramp(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2f) * scale;
        }
        return v;
    }

    private TorchCheckpointWriter sample() {
        return new TorchCheckpointWriter()
                .addF32("a.weight", new long[] {3, 4}, ramp(12, 0.25f))
                .addF32("a.bias", new long[] {3}, ramp(3, -1.5f))
                .addF32("scale", new long[] {}, new float[] {4.6052f})
                .addF32("big", new long[] {300, 70}, ramp(21000, 1e-3f));
    }

    @Test
    void readsStoredArchiveByMappingTheZip() throws IOException {
        Path f = dir.resolve("pytorch_model.bin");
        sample().write(f, false);
        try (TorchCheckpointFile ck = TorchCheckpointFile.open(f)) {
            assertEquals(java.util.List.of("a.weight", "a.bias", "scale", "big"), java.util.List.copyOf(ck.names()));
            assertValues(ck.tensor("a.weight"), new long[] {3, 4}, ramp(12, 0.25f));
            assertValues(ck.tensor("a.bias"), new long[] {3}, ramp(3, -1.5f));
            assertValues(ck.tensor("scale"), new long[] {}, new float[] {4.6052f});
            assertValues(ck.tensor("big"), new long[] {300, 70}, ramp(21000, 1e-3f));
            assertTrue(ck.tensor("big").data() instanceof MappedByteBuffer, "stored entries must be memory-mapped");
        }
    }

    @Test
    void readsDeflatedArchive() throws IOException {
        Path f = dir.resolve("deflated.bin");
        sample().write(f, true);
        try (TorchCheckpointFile ck = TorchCheckpointFile.open(f)) {
            assertValues(ck.tensor("big"), new long[] {300, 70}, ramp(21000, 1e-3f));
            assertTrue(ck.tensor("big").data().isDirect());
        }
    }

    @Test
    void sharedReferenceMatchesSafetensorsBitwise() {
        Path bin = SharedReference.require("reference/tiny/pytorch_model.bin");
        Path st = SharedReference.require("reference/tiny/model.safetensors");
        try (TorchCheckpointFile ck = TorchCheckpointFile.open(bin);
                SafetensorsFile sf = SafetensorsFile.open(st)) {
            assertEquals(sf.names(), ck.names());
            for (String n : sf.names()) {
                TensorView a = sf.tensor(n);
                TensorView b = ck.tensor(n);
                assertEquals(a.dtype(), b.dtype(), n);
                assertArrayEquals(a.shape(), b.shape(), n);
                assertEquals(a.data(), b.data(), n + ": bytes differ"); // ByteBuffer.equals compares remaining bytes
            }
        }
    }

    // ---- hostile archives ----

    @Test
    void refusesOsSystemGlobal() throws IOException {
        byte[] pkl = new Pickle()
                .op(0x80)
                .op(2)
                .global("os", "system")
                .unicode("echo pwned")
                .op(0x85)
                .op('R')
                .op('.')
                .bytes();
        CheckpointException e = assertRejected(archive(pkl), "refusing to load: pickle references global os.system");
        assertFalse(e.getMessage().contains("echo"), e.getMessage());
    }

    @Test
    void refusesBuiltinsEvalViaStackGlobal() throws IOException {
        byte[] pkl = new Pickle()
                .op(0x80)
                .op(4)
                .unicode("builtins")
                .unicode("eval")
                .op(0x93)
                .unicode("1+1")
                .op(0x85)
                .op('R')
                .op('.')
                .bytes();
        assertRejected(archive(pkl), "refusing to load: pickle references global builtins.eval");
    }

    @Test
    void refusesUnknownOpcode() throws IOException {
        // 'i' (INST) imports and instantiates a class: not part of torch.save's subset.
        byte[] pkl = new Pickle()
                .op(0x80)
                .op(2)
                .op('(')
                .raw("os\nsystem\n".getBytes(StandardCharsets.US_ASCII))
                .bytes();
        byte[] withInst = new Pickle()
                .op(0x80)
                .op(2)
                .op('(')
                .op('i')
                .raw("os\nsystem\n".getBytes(StandardCharsets.US_ASCII))
                .op('.')
                .bytes();
        assertRejected(archive(withInst), "unsupported pickle opcode 0x69");
        assertRejected(archive(pkl), "unsupported pickle opcode 0x6f");
    }

    @Test
    void refusesTruncatedPickle() throws IOException {
        byte[] full = sample().pickle();
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("archive/data.pkl", Arrays.copyOf(full, full.length / 2));
        int[] sizes = {48, 12, 4, 84000};
        for (int k = 0; k < sizes.length; k++) {
            members.put("archive/data/" + k, new byte[sizes[k]]);
        }
        assertRejected(zip(members), "truncated");
    }

    @Test
    void refusesTruncatedZip() throws IOException {
        Path f = dir.resolve("full.bin");
        sample().write(f, false);
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.bin");
        Files.write(cut, Arrays.copyOf(all, all.length - 40));
        assertRejected(cut, "truncated");
        Files.write(cut, Arrays.copyOf(all, 10));
        assertRejected(cut, "truncated");
    }

    @Test
    void refusesMissingDataPkl() throws IOException {
        Path f = dir.resolve("nopkl.bin");
        TorchCheckpointWriter.writeZip(f, Map.of("archive/data/0", new byte[4]), false);
        assertRejected(f, "no ARCHIVE/data.pkl");
    }

    @Test
    void refusesMissingStorage() throws IOException {
        TorchCheckpointWriter w = sample();
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("archive/data.pkl", w.pickle());
        members.put("archive/data/0", new byte[48]);
        assertRejected(zip(members), "storage '1' is missing: no member archive/data/1");
    }

    @Test
    void refusesStorageShorterThanDeclared() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put(
                "archive/data.pkl",
                new TorchCheckpointWriter()
                        .addF32("x", new long[] {4}, new float[4])
                        .pickle());
        members.put("archive/data/0", new byte[8]);
        assertRejected(zip(members), "fewer than 4 x F32");
    }

    @Test
    void refusesNonContiguousTensor() throws IOException {
        Pickle p = new Pickle()
                .op(0x80)
                .op(2)
                .op('}')
                .op('(')
                .unicode("t")
                .global("torch._utils", "_rebuild_tensor_v2")
                .op('(')
                .op('(')
                .unicode("storage")
                .global("torch", "FloatStorage")
                .unicode("0")
                .unicode("cpu")
                .binint(6)
                .op('t')
                .op('Q')
                .binint(0)
                .binint(2)
                .binint(3)
                .op(0x86)
                .binint(1)
                .binint(2)
                .op(0x86) // transposed strides
                .op(0x89)
                .global("collections", "OrderedDict")
                .op(')')
                .op('R')
                .op('t')
                .op('R')
                .op('u')
                .op('.');
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("archive/data.pkl", p.bytes());
        members.put("archive/data/0", new byte[24]);
        assertRejected(zip(members), "non-contiguous stride [1, 2]");
    }

    @Test
    void refusesSelfReferencingDict() throws IOException {
        // d = {}; d["d"] = d : memo put, key, memo get, SETITEM.
        byte[] pkl = new Pickle()
                .op(0x80)
                .op(2)
                .op('}')
                .op('q')
                .op(0)
                .unicode("d")
                .op('h')
                .op(0)
                .op('s')
                .op('.')
                .bytes();
        assertRejected(archive(pkl), "nested deeper than 16 levels");
    }

    @Test
    void refusesLegacyNonZipFile() throws IOException {
        Path f = dir.resolve("legacy.bin");
        Files.write(f, new byte[] {
            (byte) 0x80,
            2,
            (byte) 0x8a,
            10,
            0x6c,
            (byte) 0xfc,
            (byte) 0x9c,
            0x46,
            (byte) 0xf9,
            0x20,
            0x6a,
            (byte) 0xa8,
            0x50,
            0x19,
            0x2e,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0
        });
        assertRejected(f, "no zip end-of-central-directory record");
    }

    private Path archive(byte[] pickle) throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("archive/data.pkl", pickle);
        members.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        return zip(members);
    }

    private Path zip(Map<String, byte[]> members) throws IOException {
        Path f = Files.createTempFile(dir, "hostile", ".bin");
        TorchCheckpointWriter.writeZip(f, members, false);
        return f;
    }

    private static CheckpointException assertRejected(Path f, String expected) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpointFile.open(f));
        assertMessage(e, expected);
        assertTrue(e.getMessage().contains(f.toString()), "message must name the file: " + e.getMessage());
        return e;
    }

    private static void assertValues(TensorView t, long[] shape, float[] expected) {
        assertArrayEquals(shape, t.shape(), t.name());
        float[] got = new float[expected.length];
        t.asFloats().get(got);
        assertArrayEquals(expected, got, t.name()); // exact: bytes are copied, never converted
    }
}
