package dev.runa.clip.checkpoint;

import static dev.runa.clip.checkpoint.ClipWeightsTest.MICRO;
import static dev.runa.clip.checkpoint.SafetensorsFileTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.ClipConfig;
import dev.runa.testing.SharedReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {

    @TempDir
    Path dir;

    private static final String MICRO_HF_CONFIG = """
            {"projection_dim": 6,
             "vision_config": {"hidden_size": 8, "intermediate_size": 16, "num_attention_heads": 2,
                               "num_hidden_layers": 1, "image_size": 8, "patch_size": 4},
             "text_config": {"hidden_size": 8, "intermediate_size": 16, "num_attention_heads": 2,
                             "num_hidden_layers": 1, "max_position_embeddings": 5, "vocab_size": 10}}
            """;

    private void writeMicroWeights(SafetensorsWriter w) {
        Map<String, float[]> vals = ClipWeightsTest.values(MICRO);
        for (ClipKeys.Key k : ClipKeys.all(MICRO)) {
            w.addF32(k.name(), k.shape(), vals.get(k.name()));
        }
    }

    @Test
    void findsSharedTinyModel() {
        Path tiny = SharedReference.require("reference/tiny");
        ModelDirectory md = ModelDirectory.find(tiny);
        assertEquals(ClipConfig.tiny().withName("tiny"), md.config());
        assertEquals(List.of(tiny.resolve("model.safetensors")), md.weights());
        assertFalse(md.tokenizer().isPresent());
        assertMessage(
                assertThrows(CheckpointException.class, md::requireTokenizer),
                "no tokenizer files (vocab.json + merges.txt");
        try (ClipWeights w = md.openWeights()) {
            assertEquals(ClipKeys.all(md.config()).size(), w.names().size());
        }
    }

    @Test
    void reportsEverythingMissing() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelDirectory.find(dir));
        assertMessage(
                e,
                dir + ": not a usable CLIP model directory, missing configuration (config.json or "
                        + "open_clip_config.json); weights (model.safetensors");
        assertMessage(
                assertThrows(CheckpointException.class, () -> ModelDirectory.find(dir.resolve("nope"))),
                "not a directory");
    }

    @Test
    void fallsBackToPytorchBinAndFindsHfTokenizer() throws IOException {
        Files.writeString(dir.resolve("config.json"), MICRO_HF_CONFIG);
        TorchCheckpointWriter w = new TorchCheckpointWriter();
        Map<String, float[]> vals = ClipWeightsTest.values(MICRO);
        for (ClipKeys.Key k : ClipKeys.all(MICRO)) {
            w.addF32(k.name(), k.shape(), vals.get(k.name()));
        }
        w.write(dir.resolve("pytorch_model.bin"), false);
        Files.writeString(dir.resolve("vocab.json"), "{}");
        Files.writeString(dir.resolve("merges.txt"), "");
        ModelDirectory md = ModelDirectory.find(dir);
        assertEquals(List.of(dir.resolve("pytorch_model.bin")), md.weights());
        assertTrue(md.requireTokenizer().isHuggingFace());
        try (ClipWeights cw = md.openWeights()) {
            assertArrayEquals(vals.get("logit_scale"), ClipWeightsTest.floats(cw.tensor("logit_scale")));
        }
    }

    @Test
    void readsShardIndexAndReportsMissingShards() throws IOException {
        Files.writeString(dir.resolve("config.json"), MICRO_HF_CONFIG);
        Map<String, float[]> vals = ClipWeightsTest.values(MICRO);
        SafetensorsWriter a = new SafetensorsWriter();
        SafetensorsWriter b = new SafetensorsWriter();
        StringBuilder map = new StringBuilder();
        for (ClipKeys.Key k : ClipKeys.all(MICRO)) {
            boolean first = k.name().startsWith("vision");
            (first ? a : b).addF32(k.name(), k.shape(), vals.get(k.name()));
            map.append(map.length() == 0 ? "" : ",")
                    .append('"')
                    .append(k.name())
                    .append("\":\"")
                    .append(first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors")
                    .append('"');
        }
        a.write(dir.resolve("model-00001-of-00002.safetensors"));
        Files.writeString(
                dir.resolve("model.safetensors.index.json"), "{\"metadata\":{},\"weight_map\":{" + map + "}}");
        assertMessage(
                assertThrows(CheckpointException.class, () -> ModelDirectory.find(dir)),
                "shard files missing: [model-00002-of-00002.safetensors]");
        b.write(dir.resolve("model-00002-of-00002.safetensors"));
        ModelDirectory md = ModelDirectory.find(dir);
        assertEquals(2, md.weights().size());
        try (ClipWeights cw = md.openWeights()) {
            assertArrayEquals(
                    vals.get("text_projection.weight"), ClipWeightsTest.floats(cw.tensor("text_projection.weight")));
        }
    }

    @Test
    void readsOpenClipConfigAndBpeGz() throws IOException {
        Files.writeString(dir.resolve("open_clip_config.json"), """
                {"model_cfg": {"embed_dim": 6, "quick_gelu": true,
                  "vision_cfg": {"image_size": 8, "layers": 1, "width": 8, "head_width": 4, "patch_size": 4, "mlp_ratio": 2.0},
                  "text_cfg": {"context_length": 5, "vocab_size": 10, "width": 8, "heads": 2, "layers": 1, "mlp_ratio": 2.0}},
                 "preprocess_cfg": {"mean": [0.48145466, 0.4578275, 0.40821073]}}
                """);
        SafetensorsWriter w = new SafetensorsWriter();
        writeMicroWeights(w);
        w.write(dir.resolve("open_clip_model.safetensors"));
        Files.write(dir.resolve("bpe_simple_vocab_16e6.txt.gz"), new byte[0]);
        ModelDirectory md = ModelDirectory.find(dir);
        assertEquals(MICRO.withName(dir.getFileName().toString()), md.config());
        assertEquals(List.of(dir.resolve("open_clip_model.safetensors")), md.weights());
        assertFalse(md.requireTokenizer().isHuggingFace());
    }

    @Test
    void refusesGeluOpenClipModel() throws IOException {
        Files.writeString(
                dir.resolve("open_clip_config.json"),
                "{\"model_cfg\": {\"embed_dim\": 512, \"vision_cfg\": {}, \"text_cfg\": {}}}");
        SafetensorsWriter w = new SafetensorsWriter();
        writeMicroWeights(w);
        w.write(dir.resolve("open_clip_model.safetensors"));
        assertMessage(
                assertThrows(CheckpointException.class, () -> ModelDirectory.find(dir)),
                dir.resolve("open_clip_config.json") + ": model_cfg.quick_gelu is not true");
        // Issue 9, item 16: the message must not read as if quick_gelu were the unsupported one.
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelDirectory.find(dir));
        assertMessage(e, "uses exact GELU activations, which runa does not implement; supported are QuickGELU");
    }
}
