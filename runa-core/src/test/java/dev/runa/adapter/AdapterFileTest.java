package dev.runa.adapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.checkpoint.SafetensorsFile;
import dev.runa.clip.checkpoint.SafetensorsWriter;
import dev.runa.ood.FusionMode;
import dev.runa.ood.Projection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterFileTest {
    @TempDir
    Path dir;

    static final List<String> CLASSES = List.of("cat", "dog", "tv monitor", "a \"quoted\", name");

    static AdapterProvenance provenance() {
        return new AdapterProvenance(
                "openai/clip-vit-base-patch16",
                "57c216476eefef5ab752ec549e440a49ae4ae5f3",
                CLASSES,
                "a photo of a {label}",
                0.5,
                FusionMode.LATE,
                "margin=0;square_pad=false;global_fit=crop;blur=1.0",
                Shots.ALL,
                -7L,
                100,
                5e-6,
                0.123456789012345,
                Instant.parse("2026-11-26T12:34:56.789Z"));
    }

    static Adapter adapter() {
        float[] w = new float[3 * 5];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(i + 0.5) * 1e-3f;
        }
        w[7] = Float.MIN_VALUE; // a subnormal survives a bit-exact round trip
        return new Adapter(new Projection(w, 3, 5), provenance());
    }

    @Test
    void roundTripIsExact() throws IOException {
        Path f = dir.resolve("adapter.safetensors");
        Adapter a = adapter();
        AdapterFile.write(f, a);
        Adapter b = AdapterFile.read(f);
        assertEquals(a.provenance(), b.provenance());
        assertArrayEquals(a.projection().weight(), b.projection().weight(), 0f);
        assertEquals(3, b.projection().outDim());
        assertEquals(5, b.projection().inDim());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "no temporary file left behind");
        }
    }

    @Test
    void metadataIsReadableByAnySafetensorsReader() throws IOException {
        Path f = dir.resolve("a.safetensors");
        AdapterFile.write(f, adapter());
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            Map<String, String> m = st.metadata();
            assertEquals("runa-adapter", m.get("format"));
            assertEquals("1", m.get("format_version"));
            assertEquals("openai/clip-vit-base-patch16", m.get("base_model"));
            assertEquals("[\"cat\",\"dog\",\"tv monitor\",\"a \\\"quoted\\\", name\"]", m.get("classes"));
            assertEquals("all", m.get("shots"));
            assertEquals("late", m.get("fusion"));
            assertEquals("2026-11-26T12:34:56.789Z", m.get("created"));
            assertArrayEquals(new long[] {3, 5}, st.tensor(AdapterFile.TENSOR).shape());
        }
    }

    @Test
    void compatibilityMessagesSayWhatDiffers() {
        Adapter a = adapter();
        assertDoesNotThrow(() -> a.requireCompatible("openai/clip-vit-base-patch16", CLASSES));
        assertDoesNotThrow(() -> a.requireCompatible("openai/clip-vit-base-patch16", "", CLASSES));

        IncompatibleAdapterException model = assertThrows(
                IncompatibleAdapterException.class,
                () -> a.requireCompatible("openai/clip-vit-large-patch14", CLASSES));
        assertEquals(
                "adapter was trained for base model 'openai/clip-vit-base-patch16', but the model loaded is "
                        + "'openai/clip-vit-large-patch14'",
                model.getMessage());

        IncompatibleAdapterException rev = assertThrows(
                IncompatibleAdapterException.class,
                () -> a.requireCompatible("openai/clip-vit-base-patch16", "abc", CLASSES));
        assertTrue(
                rev.getMessage().contains("revision 'abc'") || rev.getMessage().contains("revision loaded is 'abc'"),
                rev.getMessage());

        IncompatibleAdapterException cls = assertThrows(
                IncompatibleAdapterException.class,
                () -> a.requireCompatible("openai/clip-vit-base-patch16", List.of("cat", "dog", "tv", "bird", "x")));
        assertTrue(cls.getMessage().contains("4 classes, the class list in use has 5"), cls.getMessage());
        assertTrue(
                cls.getMessage().contains("only in the adapter: 'tv monitor', 'a \"quoted\", name'"), cls.getMessage());
        assertTrue(cls.getMessage().contains("only in the list in use: 'tv', 'bird', 'x'"), cls.getMessage());

        IncompatibleAdapterException order = assertThrows(
                IncompatibleAdapterException.class,
                () -> a.requireCompatible(
                        "openai/clip-vit-base-patch16", List.of("dog", "cat", "tv monitor", "a \"quoted\", name")));
        assertTrue(
                order.getMessage().contains("another order, first at class 0: 'cat' (adapter) vs 'dog' (in use)"),
                order.getMessage());

        IncompatibleAdapterException both =
                assertThrows(IncompatibleAdapterException.class, () -> a.requireCompatible("m", List.of("cat")));
        assertEquals(2, both.differences().size());

        assertDoesNotThrow(() -> a.requireShape(3, 5));
        IncompatibleAdapterException shape =
                assertThrows(IncompatibleAdapterException.class, () -> a.requireShape(512, 768));
        assertTrue(
                shape.getMessage().contains("[3, 5]") && shape.getMessage().contains("[512, 768]"), shape.getMessage());
    }

    @Test
    void aPlainSafetensorsFileIsNotAnAdapter() throws IOException {
        Path f = dir.resolve("plain.safetensors");
        new SafetensorsWriter()
                .addF32(AdapterFile.TENSOR, new long[] {1, 2}, new float[] {1, 2})
                .write(f);
        AdapterFormatException e = assertThrows(AdapterFormatException.class, () -> AdapterFile.read(f));
        assertTrue(
                e.getMessage().startsWith(f.toString()) && e.getMessage().contains("'format' is missing"),
                e.getMessage());
    }

    @Test
    void notSafetensorsAtAll() throws IOException {
        Path f = dir.resolve("junk.safetensors");
        Files.writeString(f, "hello");
        AdapterFormatException e = assertThrows(AdapterFormatException.class, () -> AdapterFile.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    private Path withMetadata(String name, Map<String, String> changes, String tensor, long[] shape)
            throws IOException {
        Map<String, String> m = new LinkedHashMap<>(AdapterFile.metadata(provenance()));
        changes.forEach((k, v) -> {
            if (v == null) {
                m.remove(k);
            } else {
                m.put(k, v);
            }
        });
        Path f = dir.resolve(name);
        int n = (int) (shape.length == 0 ? 1 : Arrays.stream(shape).reduce(1, (x, y) -> x * y));
        new SafetensorsWriter().metadata(m).addF32(tensor, shape, new float[n]).write(f);
        return f;
    }

    @Test
    void badFieldsAreNamed() throws IOException {
        String[][] cases = {
            {"base_model", null, "metadata field 'base_model' is missing"},
            {"lambda", "half", "metadata field 'lambda' is 'half', not a finite number"},
            {"fusion", "middle", "metadata field 'fusion' is 'middle', expected 'early' or 'late'"},
            {"classes", "cat,dog", "metadata field 'classes' is not a JSON array"},
            {"classes", "[]", "metadata field 'classes' is not a non-empty JSON array"},
            {"classes", "[1]", "metadata field 'classes' entry 0 is 1, not a string"},
            {"shots", "-3", "metadata field 'shots' is '-3'"},
            {"created", "yesterday", "metadata field 'created' is 'yesterday', not an ISO-8601 instant"},
            {"format_version", "2", "metadata field 'format_version' is 2; this runa reads adapter versions 1 to 1"},
            {"format", "lora", "not a runa adapter (metadata field 'format' is 'lora'"},
            {"epochs", "-1", "invalid adapter metadata: adapter epochs must be >= 0"},
        };
        int i = 0;
        for (String[] c : cases) {
            Map<String, String> change = new HashMap<>();
            change.put(c[0], c[1]);
            Path f = withMetadata("bad" + i++ + ".safetensors", change, AdapterFile.TENSOR, new long[] {2, 3});
            AdapterFormatException e = assertThrows(AdapterFormatException.class, () -> AdapterFile.read(f), c[0]);
            assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(c[2]), e.getMessage());
        }
    }

    @Test
    void wrongOrMissingTensorIsNamed() throws IOException {
        Path rank1 = withMetadata("r1.safetensors", Map.of(), AdapterFile.TENSOR, new long[] {6});
        AdapterFormatException e1 = assertThrows(AdapterFormatException.class, () -> AdapterFile.read(rank1));
        assertTrue(
                e1.getMessage().contains("'visual_projection.weight' has shape [6], expected [P, D]"), e1.getMessage());

        Path other = withMetadata("other.safetensors", Map.of(), "text_projection.weight", new long[] {2, 3});
        AdapterFormatException e2 = assertThrows(AdapterFormatException.class, () -> AdapterFile.read(other));
        assertTrue(e2.getMessage().contains("no tensor 'visual_projection.weight'"), e2.getMessage());
    }

    @Test
    void refusesToSaveADivergedProjection() {
        float[] w = {1, Float.NaN};
        Adapter bad = new Adapter(new Projection(w, 1, 2), provenance());
        Path f = dir.resolve("nan.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdapterFile.write(f, bad));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertFalse(Files.exists(f));
    }

    @Test
    void aMissingAdapterFileIsNotFoundNotUnreadable(@TempDir Path tmp) {
        // Issue 9, item 16.
        Path missing = tmp.resolve("nope.safetensors");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> AdapterFile.read(missing));
        assertEquals(missing.toString(), e.getFile());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }
}
