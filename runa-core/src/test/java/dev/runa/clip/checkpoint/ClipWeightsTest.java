package dev.runa.clip.checkpoint;

import static dev.runa.clip.checkpoint.SafetensorsFileTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.ClipConfig;
import dev.runa.tensor.DType;
import dev.runa.tensor.Shapes;
import dev.runa.tensor.TensorView;
import dev.runa.testing.SharedReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipWeightsTest {

    /** A 2-head, 1-layer model small enough to write in every test. */
    static final ClipConfig MICRO = new ClipConfig(
            new ClipConfig.Vision(8, 4, 8, 1, 2, 16, 1e-5), new ClipConfig.Text(10, 5, 8, 1, 2, 16, 1e-5), 6, "micro");

    @TempDir
    Path dir;

    /** Deterministic distinct values per key: value = keyIndex * 1000 + element * 0.5. */
    static Map<String, float[]> values(ClipConfig config) {
        Map<String, float[]> out = new LinkedHashMap<>();
        int k = 0;
        for (ClipKeys.Key key : ClipKeys.all(config)) {
            float[] v = new float[Math.toIntExact(Shapes.numel(key.shape()))];
            for (int i = 0; i < v.length; i++) {
                v[i] = k * 1000 + i * 0.5f;
            }
            out.put(key.name(), v);
            k++;
        }
        return out;
    }

    private Path writeHf(String file, String prefix, ClipConfig config) throws IOException {
        Map<String, float[]> vals = values(config);
        SafetensorsWriter w = new SafetensorsWriter();
        for (ClipKeys.Key key : ClipKeys.all(config)) {
            w.addF32(prefix + key.name(), key.shape(), vals.get(key.name()));
        }
        Path p = dir.resolve(file);
        w.write(p);
        return p;
    }

    @Test
    void keysListEveryTensorOnceWithHfShapes() {
        List<ClipKeys.Key> keys = ClipKeys.all(ClipConfig.tiny());
        // 16 per block x (2 + 2) blocks + vision 7 + projection 1 + text 4 + projection 1 + logit_scale 1
        assertEquals(16 * 4 + 7 + 1 + 4 + 1 + 1, keys.size());
        assertEquals(
                keys.size(), keys.stream().map(ClipKeys.Key::name).distinct().count());
        try (SafetensorsFile st = SafetensorsFile.open(SharedReference.require("reference/tiny/model.safetensors"))) {
            assertEquals(
                    st.names(), Set.copyOf(keys.stream().map(ClipKeys.Key::name).toList()));
            for (ClipKeys.Key k : keys) {
                assertArrayEquals(k.shape(), st.tensor(k.name()).shape(), k.name());
            }
        }
    }

    @Test
    void hfCheckpointIsZeroCopyAndPrefixIsStripped() throws IOException {
        Path p = writeHf("m.safetensors", "model.", MICRO);
        Map<String, float[]> vals = values(MICRO);
        try (ClipWeights w = ClipWeights.open(MICRO, List.of(p))) {
            assertEquals(ClipWeights.Layout.HUGGING_FACE, w.layout());
            assertEquals(ClipKeys.all(MICRO).size(), w.names().size());
            for (ClipKeys.Key k : ClipKeys.all(MICRO)) {
                assertFloats(vals.get(k.name()), w.tensor(k.name()));
            }
            assertTrue(w.tensor("logit_scale").data().isDirect());
        }
    }

    @Test
    void openAiLayoutIsSlicedAndTransposed() throws IOException {
        Map<String, float[]> hf = values(MICRO);
        // Independent construction of the OpenAI layout: stack q,k,v and transpose the projections by hand.
        SafetensorsWriter w = new SafetensorsWriter();
        int vw = MICRO.vision().width();
        int tw = MICRO.text().width();
        for (String tower : new String[] {"visual.", ""}) {
            String hp = tower.isEmpty() ? "text_model." : "vision_model.";
            int width = tower.isEmpty() ? tw : vw;
            String b = tower + "transformer.resblocks.0.";
            String hb = hp + "encoder.layers.0.";
            w.addF32(
                    b + "attn.in_proj_weight",
                    new long[] {3L * width, width},
                    concat(
                            hf.get(hb + "self_attn.q_proj.weight"),
                            hf.get(hb + "self_attn.k_proj.weight"),
                            hf.get(hb + "self_attn.v_proj.weight")));
            w.addF32(
                    b + "attn.in_proj_bias",
                    new long[] {3L * width},
                    concat(
                            hf.get(hb + "self_attn.q_proj.bias"),
                            hf.get(hb + "self_attn.k_proj.bias"),
                            hf.get(hb + "self_attn.v_proj.bias")));
            for (String[] m : new String[][] {
                {"attn.out_proj", "self_attn.out_proj"},
                {"ln_1", "layer_norm1"},
                {"ln_2", "layer_norm2"},
                {"mlp.c_fc", "mlp.fc1"},
                {"mlp.c_proj", "mlp.fc2"}
            }) {
                for (String wb : new String[] {".weight", ".bias"}) {
                    copy(w, hf, b + m[0] + wb, hb + m[1] + wb);
                }
            }
        }
        copy(w, hf, "visual.conv1.weight", "vision_model.embeddings.patch_embedding.weight");
        copy(w, hf, "visual.class_embedding", "vision_model.embeddings.class_embedding");
        copy(w, hf, "visual.positional_embedding", "vision_model.embeddings.position_embedding.weight");
        for (String wb : new String[] {".weight", ".bias"}) {
            copy(w, hf, "visual.ln_pre" + wb, "vision_model.pre_layrnorm" + wb);
            copy(w, hf, "visual.ln_post" + wb, "vision_model.post_layernorm" + wb);
            copy(w, hf, "ln_final" + wb, "text_model.final_layer_norm" + wb);
        }
        copy(w, hf, "token_embedding.weight", "text_model.embeddings.token_embedding.weight");
        copy(w, hf, "positional_embedding", "text_model.embeddings.position_embedding.weight");
        copy(w, hf, "logit_scale", "logit_scale");
        int proj = MICRO.projectionDim();
        w.addF32("visual.proj", new long[] {vw, proj}, transpose(hf.get("visual_projection.weight"), proj, vw));
        w.addF32("text_projection", new long[] {tw, proj}, transpose(hf.get("text_projection.weight"), proj, tw));
        w.addF32("input_resolution", new long[] {}, new float[] {8}); // OpenAI checkpoints carry these scalars
        Path p = dir.resolve("openai.safetensors");
        w.write(p);

        try (ClipWeights cw = ClipWeights.open(MICRO, List.of(p))) {
            assertEquals(ClipWeights.Layout.OPENAI, cw.layout());
            for (ClipKeys.Key k : ClipKeys.all(MICRO)) {
                assertFloats(hf.get(k.name()), cw.tensor(k.name()));
            }
            assertEquals(Set.of("input_resolution"), cw.ignoredNames());
        }
        try (WeightSource raw = ClipWeights.openRaw(List.of(p))) {
            ClipConfig inferred = ClipWeights.inferOpenAiConfig(raw, "inferred");
            // MICRO's widths are below 64, so OpenAI's heads = width / 64 rule gives 1 head (clamped).
            ClipConfig expected = new ClipConfig(
                    new ClipConfig.Vision(8, 4, 8, 1, 1, 16, 1e-5),
                    new ClipConfig.Text(10, 5, 8, 1, 1, 16, 1e-5),
                    6,
                    "inferred");
            assertEquals(expected, inferred);
        }
    }

    @Test
    void missingKeyNamesFileAndKey() throws IOException {
        Map<String, float[]> vals = values(MICRO);
        SafetensorsWriter w = new SafetensorsWriter();
        for (ClipKeys.Key key : ClipKeys.all(MICRO)) {
            if (!key.name().equals("text_model.final_layer_norm.bias")) {
                w.addF32(key.name(), key.shape(), vals.get(key.name()));
            }
        }
        Path p = dir.resolve("missing.safetensors");
        w.write(p);
        CheckpointException e = assertThrows(CheckpointException.class, () -> ClipWeights.open(MICRO, List.of(p)));
        assertMessage(e, p + ": missing tensor 'text_model.final_layer_norm.bias'");
    }

    @Test
    void wrongShapeNamesKeyExpectedAndActual() throws IOException {
        Path p = writeHf("m.safetensors", "", MICRO);
        ClipConfig wider = new ClipConfig(MICRO.vision(), MICRO.text(), 7, "wider");
        CheckpointException e = assertThrows(CheckpointException.class, () -> ClipWeights.open(wider, List.of(p)));
        assertMessage(e, p + ": tensor 'visual_projection.weight' has shape [6, 8], the configuration implies [7, 8]");
    }

    @Test
    void nonFloatTensorAndForeignCheckpointAreRefused() throws IOException {
        Map<String, float[]> vals = values(MICRO);
        SafetensorsWriter w = new SafetensorsWriter();
        for (ClipKeys.Key key : ClipKeys.all(MICRO)) {
            if (key.name().equals("logit_scale")) {
                w.addI64("logit_scale", new long[] {}, new long[] {3});
            } else {
                w.addF32(key.name(), key.shape(), vals.get(key.name()));
            }
        }
        Path p = dir.resolve("ints.safetensors");
        w.write(p);
        assertMessage(
                assertThrows(CheckpointException.class, () -> ClipWeights.open(MICRO, List.of(p))),
                p + ": tensor for 'logit_scale' has dtype I64, expected a floating point type");
        Path o = dir.resolve("foreign.safetensors");
        new SafetensorsWriter()
                .addF32("logit_scale", new long[] {}, new float[] {1})
                .addF32("bert.weight", new long[] {1}, new float[] {1})
                .write(o);
        assertMessage(
                assertThrows(CheckpointException.class, () -> ClipWeights.open(MICRO, List.of(o))),
                "neither Hugging Face");
        Path q = dir.resolve("other.safetensors");
        new SafetensorsWriter()
                .addF32("encoder.weight", new long[] {1}, new float[] {1})
                .write(q);
        assertMessage(
                assertThrows(CheckpointException.class, () -> ClipWeights.open(MICRO, List.of(q))),
                "no 'logit_scale' tensor");
    }

    @Test
    void halfAndBfloatAreConvertedExactly() {
        ByteBuffer b = ByteBuffer.allocateDirect(6).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) 0x3C00).putShort(2, (short) 0xC000).putShort(4, (short) 0x0001); // 1, -2, 2^-24
        TensorView f16 = ClipWeights.toF32(null, "x", new TensorView("x", DType.F16, new long[] {3}, b));
        assertFloats(new float[] {1f, -2f, 0x1p-24f}, f16);
        ByteBuffer c = ByteBuffer.allocateDirect(4).order(ByteOrder.LITTLE_ENDIAN);
        c.putShort(0, (short) 0x3FC0).putShort(2, (short) 0xBF80); // 1.5, -1
        assertFloats(
                new float[] {1.5f, -1f},
                ClipWeights.toF32(null, "y", new TensorView("y", DType.BF16, new long[] {2}, c)));
    }

    @Test
    void shardsAreCombinedAndDuplicatesRefused() throws IOException {
        Map<String, float[]> vals = values(MICRO);
        SafetensorsWriter a = new SafetensorsWriter();
        SafetensorsWriter b = new SafetensorsWriter();
        for (ClipKeys.Key key : ClipKeys.all(MICRO)) {
            (key.name().startsWith("vision") ? a : b).addF32(key.name(), key.shape(), vals.get(key.name()));
        }
        Path pa = dir.resolve("a.safetensors");
        Path pb = dir.resolve("b.safetensors");
        a.write(pa);
        b.write(pb);
        try (ClipWeights w = ClipWeights.open(MICRO, List.of(pa, pb))) {
            assertFloats(vals.get("logit_scale"), w.tensor("logit_scale"));
        }
        assertMessage(
                assertThrows(CheckpointException.class, () -> ClipWeights.openRaw(List.of(pa, pa))),
                "appears in two shards");
    }

    // ---- parity with the shared reference: five files, one model ----

    @Test
    void allReferenceFormatsGiveTheSameCanonicalTensors() {
        Path tiny = SharedReference.require("reference/tiny");
        ClipConfig config = ClipConfig.tiny();
        try (ClipWeights ref = ClipWeights.open(config, List.of(tiny.resolve("model.safetensors")))) {
            try (SafetensorsFile raw = SafetensorsFile.open(tiny.resolve("model.safetensors"))) {
                // F32 Hugging Face files are handed out zero-copy: same bytes, same mapping.
                assertEquals(
                        raw.tensor("logit_scale").data(),
                        ref.tensor("logit_scale").data());
            }
            for (String f :
                    new String[] {"model_with_position_ids.safetensors", "pytorch_model.bin", "openai_model.safetensors"
                    }) {
                try (ClipWeights other = ClipWeights.open(config, List.of(tiny.resolve(f)))) {
                    assertEquals(ref.names(), other.names(), f);
                    for (String n : ref.names()) {
                        assertArrayEquals(ref.tensor(n).shape(), other.tensor(n).shape(), f + " " + n);
                        // Bitwise: F32 sources are sliced/transposed, never recomputed.
                        assertEquals(ref.tensor(n).data(), other.tensor(n).data(), f + " " + n);
                    }
                    if (f.contains("position_ids")) {
                        assertEquals(
                                Set.of("text_model.embeddings.position_ids", "vision_model.embeddings.position_ids"),
                                other.ignoredNames());
                    }
                }
            }
            try (ClipWeights half = ClipWeights.open(config, List.of(tiny.resolve("model_f16.safetensors")))) {
                double worst = 0;
                for (String n : ref.names()) {
                    float[] a = floats(ref.tensor(n));
                    float[] b = floats(half.tensor(n));
                    assertEquals(DType.F32, half.tensor(n).dtype());
                    for (int i = 0; i < a.length; i++) {
                        // F16 keeps 11 significant bits: round-to-nearest error <= 2^-11 relative; below
                        // 2^-14 (subnormals) the spacing is 2^-24, so half of it is the absolute floor.
                        double tol = 0x1p-11 * Math.abs(a[i]) + 0x1p-25;
                        double err = Math.abs(a[i] - b[i]);
                        assertTrue(err <= tol, n + "[" + i + "]: " + a[i] + " vs " + b[i]);
                        worst = Math.max(worst, err / Math.max(Math.abs(a[i]), 1e-30));
                    }
                }
                assertTrue(worst > 0, "F16 file should differ from F32 by rounding");
            }
        }
        try (WeightSource raw = ClipWeights.openRaw(List.of(tiny.resolve("openai_model.safetensors")))) {
            ClipConfig inferred = ClipWeights.inferOpenAiConfig(raw, "tiny");
            assertEquals(config.vision().imageSize(), inferred.vision().imageSize());
            assertEquals(config.vision().patchSize(), inferred.vision().patchSize());
            assertEquals(config.vision().layers(), inferred.vision().layers());
            assertEquals(config.vision().intermediateSize(), inferred.vision().intermediateSize());
            assertEquals(config.text().contextLength(), inferred.text().contextLength());
            assertEquals(config.text().vocabSize(), inferred.text().vocabSize());
            assertEquals(config.text().width(), inferred.text().width());
            assertEquals(config.projectionDim(), inferred.projectionDim());
        }
    }

    @Test
    void closingWeightsClosesTheRawSource() throws IOException {
        Path p = writeHf("m.safetensors", "", MICRO);
        SafetensorsFile raw = SafetensorsFile.open(p);
        ClipWeights w = ClipWeights.of(MICRO, raw);
        assertSame(MICRO, w.config());
        w.close();
        assertThrows(CheckpointException.class, () -> raw.tensor("logit_scale"));
    }

    private static void copy(SafetensorsWriter w, Map<String, float[]> hf, String oa, String hfName) {
        ClipKeys.Key key = ClipKeys.all(MICRO).stream()
                .filter(k -> k.name().equals(hfName))
                .findFirst()
                .orElseThrow();
        w.addF32(oa, key.shape(), hf.get(hfName));
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    /** [rows, cols] -> [cols, rows]. */
    private static float[] transpose(float[] v, int rows, int cols) {
        float[] out = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = v[r * cols + c];
            }
        }
        return out;
    }

    static float[] floats(TensorView t) {
        float[] out = new float[Math.toIntExact(t.numel())];
        t.asFloats().get(out);
        return out;
    }

    private static void assertFloats(float[] expected, TensorView t) {
        assertEquals(DType.F32, t.dtype(), t.name());
        assertArrayEquals(expected, floats(t), t.name()); // exact: no arithmetic happens on F32 values
    }

    @Test
    void weightsOfMoreLayersThanTheConfigurationSaysAreRefusedNamingTheFirst() throws IOException {
        ClipConfig twoLayers = new ClipConfig(
                new ClipConfig.Vision(8, 4, 8, 2, 2, 16, 1e-5), MICRO.text(), MICRO.projectionDim(), "micro2");
        Path p = writeHf("deeper.safetensors", "", twoLayers);
        CheckpointException e = assertThrows(CheckpointException.class, () -> ClipWeights.open(MICRO, List.of(p)));
        assertMessage(e, "vision_model.encoder.layers.1.");
        assertMessage(e, "not part of the configured architecture");
        // The same weights under their own configuration load.
        ClipWeights.open(twoLayers, List.of(p)).close();
    }

    @Test
    void positionIdBuffersAreHarmless() throws IOException {
        Map<String, float[]> vals = values(MICRO);
        SafetensorsWriter w = new SafetensorsWriter();
        for (ClipKeys.Key key : ClipKeys.all(MICRO)) {
            w.addF32(key.name(), key.shape(), vals.get(key.name()));
        }
        w.addF32("vision_model.embeddings.position_ids", new long[] {1, 5}, new float[] {0, 1, 2, 3, 4});
        w.addF32("text_model.embeddings.position_ids", new long[] {1, 5}, new float[] {0, 1, 2, 3, 4});
        Path p = dir.resolve("ids.safetensors");
        w.write(p);
        try (ClipWeights cw = ClipWeights.open(MICRO, List.of(p))) {
            assertTrue(cw.ignoredNames().contains("vision_model.embeddings.position_ids"));
        }
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingTheTensor() throws IOException {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Map<String, float[]> vals = values(MICRO);
            vals.get("text_model.encoder.layers.0.mlp.fc2.weight")[7] = bad;
            SafetensorsWriter w = new SafetensorsWriter();
            for (ClipKeys.Key key : ClipKeys.all(MICRO)) {
                w.addF32(key.name(), key.shape(), vals.get(key.name()));
            }
            Path p = dir.resolve("nan.safetensors");
            w.write(p);
            CheckpointException e = assertThrows(CheckpointException.class, () -> ClipWeights.open(MICRO, List.of(p)));
            assertMessage(e, "text_model.encoder.layers.0.mlp.fc2.weight");
            assertMessage(e, "non-finite");
            assertMessage(e, "index 7");
        }
    }
}
