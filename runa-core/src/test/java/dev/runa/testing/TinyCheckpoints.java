package dev.runa.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.clip.ClipConfig;
import dev.runa.clip.RandomClipWeights;
import dev.runa.clip.checkpoint.SafetensorsWriter;
import dev.runa.clip.tokenizer.BpeVocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes complete Hugging Face-layout checkpoint directories with random weights for tests:
 * {@code config.json}, {@code model.safetensors}, and a byte-level {@code vocab.json} +
 * {@code merges.txt}, so that every loader path runs without {@code ../shared} or a network.
 */
public final class TinyCheckpoints {
    private TinyCheckpoints() {}

    /** Writes {@code random:tiny}'s architecture with weights of the given seed into {@code dir}. */
    public static Path write(Path dir, long seed) throws IOException {
        return write(dir, ClipConfig.tiny(), seed);
    }

    /** Writes a checkpoint of any architecture into {@code dir}. */
    public static Path write(Path dir, ClipConfig config, long seed) throws IOException {
        Files.createDirectories(dir);
        writeConfig(dir.resolve("config.json"), config);
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        try (RandomClipWeights weights = new RandomClipWeights(config, seed)) {
            for (String name : weights.names()) {
                w.add(name, weights.tensor(name));
            }
            w.write(dir.resolve("model.safetensors"));
        }
        writeByteLevelTokenizer(dir);
        return dir;
    }

    /** A Hugging Face tokenizer pair for the byte-level vocabulary (no merges). */
    public static void writeByteLevelTokenizer(Path dir) throws IOException {
        ObjectMapper om = new ObjectMapper();
        ObjectNode vocab = om.createObjectNode();
        List<String> tokens = BpeVocabulary.bytesOnly().tokens();
        for (int i = 0; i < tokens.size(); i++) {
            vocab.put(tokens.get(i), i);
        }
        Files.write(dir.resolve("vocab.json"), om.writeValueAsBytes(vocab));
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n");
    }

    /** A transformers-style {@code config.json} for {@code config}. */
    public static void writeConfig(Path file, ClipConfig config) throws IOException {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        root.putArray("architectures").add("CLIPModel");
        root.put("model_type", "clip");
        root.put("projection_dim", config.projectionDim());
        ObjectNode t = root.putObject("text_config");
        t.put("hidden_size", config.text().width());
        t.put("intermediate_size", config.text().intermediateSize());
        t.put("num_attention_heads", config.text().heads());
        t.put("num_hidden_layers", config.text().layers());
        t.put("max_position_embeddings", config.text().contextLength());
        t.put("vocab_size", config.text().vocabSize());
        t.put("hidden_act", "quick_gelu");
        t.put("layer_norm_eps", config.text().layerNormEps());
        ObjectNode v = root.putObject("vision_config");
        v.put("hidden_size", config.vision().width());
        v.put("intermediate_size", config.vision().intermediateSize());
        v.put("num_attention_heads", config.vision().heads());
        v.put("num_hidden_layers", config.vision().layers());
        v.put("image_size", config.vision().imageSize());
        v.put("patch_size", config.vision().patchSize());
        v.put("hidden_act", "quick_gelu");
        v.put("layer_norm_eps", config.vision().layerNormEps());
        Files.write(file, om.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }
}
