package dev.runa.clip.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.tensor.DType;
import dev.runa.tensor.Float16;
import dev.runa.tensor.TensorView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsValuesDtypesAndMetadata() throws IOException {
        Path f = dir.resolve("a.safetensors");
        float[] w = {1.5f, -2f, 3.25f, 0f, 1e-8f, -7f};
        float[] h = {0.1f, 65504f, -0.5f};
        new SafetensorsWriter()
                .metadata("format", "pt")
                .addF32("w", new long[] {2, 3}, w)
                .addF16("h", new long[] {3}, h)
                .addI64("ids", new long[] {1, 2}, new long[] {5, -9})
                .addF32("scalar", new long[] {}, new float[] {4f})
                .addF32("empty", new long[] {0, 4}, new float[0])
                .write(f);
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertEquals(Map.of("format", "pt"), st.metadata());
            assertEquals(5, st.names().size());
            TensorView tw = st.tensor("w");
            assertEquals(DType.F32, tw.dtype());
            assertArrayEquals(new long[] {2, 3}, tw.shape());
            float[] back = new float[6];
            tw.asFloats().get(back);
            assertArrayEquals(w, back);
            assertTrue(tw.data().isDirect(), "tensor data must stay off the heap");
            float[] hb = new float[3];
            st.tensor("h").asFloats().get(hb);
            for (int i = 0; i < 3; i++) {
                assertEquals(Float16.toFloat(Float16.fromFloat(h[i])), hb[i]);
            }
            assertEquals(-9L, st.tensor("ids").data().getLong(8));
            assertEquals(4f, st.tensor("scalar").data().getFloat(0));
            assertEquals(0, st.tensor("empty").data().remaining());
        }
        // The reference implementation pads the header to a multiple of 8 and aligns tensors by element size.
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, raw.getLong(0) % 8);
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }

    @Test
    void mapsLargeFilesAsSeveralWindows() throws IOException {
        Path f = dir.resolve("w.safetensors");
        SafetensorsWriter w = new SafetensorsWriter();
        for (int t = 0; t < 10; t++) {
            float[] v = new float[25];
            for (int i = 0; i < v.length; i++) {
                v[i] = t * 100 + i;
            }
            w.addF32("t" + t, new long[] {5, 5}, v);
        }
        w.write(f);
        // 100-byte tensors in 250-byte windows: 2 tensors per mapping, 5 mappings.
        try (SafetensorsFile st = SafetensorsFile.open(f, 250)) {
            for (int t = 0; t < 10; t++) {
                TensorView v = st.tensor("t" + t);
                assertEquals(t * 100f, v.asFloats().get(0));
                assertEquals(t * 100f + 24, v.asFloats().get(24));
            }
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(f, 50));
        assertTrue(e.getMessage().contains("more than one buffer can address"), e.getMessage());
    }

    @Test
    void unknownTensorAndClosedFileAreClearErrors() throws IOException {
        Path f = dir.resolve("a.safetensors");
        new SafetensorsWriter().addF32("x", new long[] {1}, new float[] {1}).write(f);
        SafetensorsFile st = SafetensorsFile.open(f);
        assertMessage(assertThrows(CheckpointException.class, () -> st.tensor("y")), "no tensor named 'y'");
        st.close();
        assertMessage(assertThrows(CheckpointException.class, () -> st.tensor("x")), "closed");
    }

    // ---- hostile files: one per validation rule ----

    @Test
    void rejectsFileShorterThan8Bytes() throws IOException {
        Path f = dir.resolve("short.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        assertRejected(f, "shorter than the 8-byte header length");
    }

    @Test
    void rejectsHeaderLongerThanFile() throws IOException {
        assertRejected(raw(100, "{}", 0), "exceeds the file size");
    }

    @Test
    void rejectsAbsurdHeaderLength() throws IOException {
        assertRejected(raw(-5, "{}", 0), "absurd");
        assertRejected(raw(200_000_000L, "{}", 0), "absurd");
    }

    @Test
    void rejectsHeaderThatIsNotJson() throws IOException {
        assertRejected(raw("{\"a\": [1, 2", 0), "not valid JSON");
    }

    @Test
    void rejectsHeaderThatIsNotAnObject() throws IOException {
        assertRejected(raw("[1, 2, 3]", 0), "not a JSON object");
    }

    @Test
    void rejectsUnknownDtype() throws IOException {
        assertRejected(
                raw("{\"x\":{\"dtype\":\"F8_Q\",\"shape\":[1],\"data_offsets\":[0,1]}}", 8), "unknown dtype 'F8_Q'");
    }

    @Test
    void rejectsBadShapes() throws IOException {
        assertRejected(
                raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 8),
                "not a list of non-negative integers");
        assertRejected(
                raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 8),
                "not a list of non-negative integers");
        assertRejected(
                raw("{\"x\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,4]}}", 8), "shape is not a list");
    }

    @Test
    void rejectsBadDataOffsets() throws IOException {
        assertRejected(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 8), "is not [begin, end]");
        assertRejected(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}", 8), "begin > end");
    }

    @Test
    void rejectsOffsetsOutsideDataArea() throws IOException {
        assertRejected(
                raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8),
                "outside the data area of 8 bytes");
    }

    @Test
    void rejectsOverlappingTensors() throws IOException {
        assertRejected(
                raw(
                        "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                                + "\"y\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                        16),
                "overlap");
    }

    @Test
    void rejectsSizeThatDisagreesWithShape() throws IOException {
        assertRejected(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "needs 12");
    }

    @Test
    void rejectsMalformedMetadata() throws IOException {
        assertRejected(raw("{\"__metadata__\":{\"a\":1}}", 0), "__metadata__ value 'a' is not a string");
        assertRejected(raw("{\"__metadata__\":[1]}", 0), "__metadata__ is not an object");
    }

    @Test
    void rejectsDuplicateKeys() throws IOException {
        assertRejected(
                raw(
                        "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                                + "\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                        8),
                "not valid JSON");
    }

    private Path raw(String json, int dataBytes) throws IOException {
        return raw(json.getBytes(StandardCharsets.UTF_8).length, json, dataBytes);
    }

    /** A file with an arbitrary declared header length, the given JSON and zeroed data. */
    private Path raw(long declaredLength, String json, int dataBytes) throws IOException {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + j.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLength).put(j);
        Path f = Files.createTempFile(dir, "hostile", ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    private static void assertRejected(Path f, String expected) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(f));
        assertMessage(e, expected);
        assertTrue(e.getMessage().contains(f.toString()), "message must name the file: " + e.getMessage());
    }

    static void assertMessage(Throwable e, String expected) {
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
