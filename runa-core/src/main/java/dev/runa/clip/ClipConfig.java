package dev.runa.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The architecture of a CLIP model: everything needed to lay out its weights and build its graphs.
 *
 * @param vision         the image tower
 * @param text           the text tower
 * @param projectionDim  size of the joint embedding space
 * @param name           a human-readable identity (hub id, directory or {@code random:NAME})
 */
public record ClipConfig(Vision vision, Text text, int projectionDim, String name) {

    /**
     * The vision transformer.
     *
     * @param imageSize        square input size in pixels
     * @param patchSize        patch (conv stride) size
     * @param width            hidden size
     * @param layers           number of transformer blocks
     * @param heads            attention heads
     * @param intermediateSize MLP hidden size
     * @param layerNormEps     LayerNorm epsilon
     */
    public record Vision(
            int imageSize, int patchSize, int width, int layers, int heads, int intermediateSize, double layerNormEps) {
        public Vision {
            requirePositive("vision.image_size", imageSize);
            requirePositive("vision.patch_size", patchSize);
            requirePositive("vision.hidden_size", width);
            requirePositive("vision.num_hidden_layers", layers);
            requirePositive("vision.num_attention_heads", heads);
            requirePositive("vision.intermediate_size", intermediateSize);
            if (imageSize % patchSize != 0) {
                throw new IllegalArgumentException(
                        "vision.image_size " + imageSize + " is not a multiple of patch_size " + patchSize);
            }
            if (width % heads != 0) {
                throw new IllegalArgumentException(
                        "vision.hidden_size " + width + " is not a multiple of num_attention_heads " + heads);
            }
        }

        /** Number of patches per side. */
        public int gridSize() {
            return imageSize / patchSize;
        }

        /** Sequence length: patches plus the class token. */
        public int sequenceLength() {
            return gridSize() * gridSize() + 1;
        }
    }

    /**
     * The causal text transformer.
     *
     * @param vocabSize        BPE vocabulary size (49408 for OpenAI CLIP)
     * @param contextLength    number of token positions (77)
     * @param width            hidden size
     * @param layers           number of transformer blocks
     * @param heads            attention heads
     * @param intermediateSize MLP hidden size
     * @param layerNormEps     LayerNorm epsilon
     */
    public record Text(
            int vocabSize,
            int contextLength,
            int width,
            int layers,
            int heads,
            int intermediateSize,
            double layerNormEps) {
        public Text {
            requirePositive("text.vocab_size", vocabSize);
            requirePositive("text.max_position_embeddings", contextLength);
            requirePositive("text.hidden_size", width);
            requirePositive("text.num_hidden_layers", layers);
            requirePositive("text.num_attention_heads", heads);
            requirePositive("text.intermediate_size", intermediateSize);
            if (width % heads != 0) {
                throw new IllegalArgumentException(
                        "text.hidden_size " + width + " is not a multiple of num_attention_heads " + heads);
            }
        }
    }

    public ClipConfig {
        requirePositive("projection_dim", projectionDim);
    }

    /** A tiny architecture of the same shape family (random weights, for tests). */
    public static ClipConfig tiny() {
        return new ClipConfig(
                new Vision(32, 8, 64, 2, 4, 256, 1e-5), new Text(49408, 77, 32, 2, 4, 128, 1e-5), 24, "random:tiny");
    }

    /** OpenAI ViT-B/16 ({@code openai/clip-vit-base-patch16}). */
    public static ClipConfig vitB16() {
        return new ClipConfig(
                new Vision(224, 16, 768, 12, 12, 3072, 1e-5),
                new Text(49408, 77, 512, 12, 8, 2048, 1e-5),
                512,
                "random:vit-b-16");
    }

    /** OpenAI ViT-B/32 ({@code openai/clip-vit-base-patch32}). */
    public static ClipConfig vitB32() {
        return new ClipConfig(
                new Vision(224, 32, 768, 12, 12, 3072, 1e-5),
                new Text(49408, 77, 512, 12, 8, 2048, 1e-5),
                512,
                "random:vit-b-32");
    }

    /** OpenAI ViT-L/14 ({@code openai/clip-vit-large-patch14}). */
    public static ClipConfig vitL14() {
        return new ClipConfig(
                new Vision(224, 14, 1024, 24, 16, 4096, 1e-5),
                new Text(49408, 77, 768, 12, 12, 3072, 1e-5),
                768,
                "random:vit-l-14");
    }

    /** The preset behind {@code random:NAME}: tiny, vit-b-16, vit-b-32, vit-l-14. */
    public static ClipConfig preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "tiny" -> tiny();
            case "vit-b-16" -> vitB16();
            case "vit-b-32" -> vitB32();
            case "vit-l-14" -> vitL14();
            default ->
                throw new IllegalArgumentException(
                        "unknown architecture '" + name + "' (known: tiny, vit-b-16, vit-b-32, vit-l-14)");
        };
    }

    /** Same architecture under another name. */
    public ClipConfig withName(String newName) {
        return new ClipConfig(vision, text, projectionDim, newName);
    }

    /**
     * Reads a Hugging Face {@code config.json} of a {@code CLIPModel}. Missing fields take the
     * transformers library's defaults, as older hub configs rely on them.
     */
    public static ClipConfig fromHuggingFaceJson(Path configJson, String name) throws IOException {
        JsonNode root = new ObjectMapper().readTree(configJson.toFile());
        try {
            return fromHuggingFaceJson(root, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(configJson + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #fromHuggingFaceJson(Path, String)}, from a parsed document. */
    public static ClipConfig fromHuggingFaceJson(JsonNode root, String name) {
        JsonNode v = root.path("vision_config");
        JsonNode t = root.path("text_config");
        String vAct = v.path("hidden_act").asText("quick_gelu");
        String tAct = t.path("hidden_act").asText("quick_gelu");
        if (!vAct.equals("quick_gelu") || !tAct.equals("quick_gelu")) {
            throw new IllegalArgumentException(
                    "hidden_act '" + vAct + "'/'" + tAct + "': runa implements only the quick_gelu activation"
                            + " (OpenAI's CLIP); other activations such as exact 'gelu' are not supported");
        }
        Vision vision = new Vision(
                v.path("image_size").asInt(224),
                v.path("patch_size").asInt(32),
                v.path("hidden_size").asInt(768),
                v.path("num_hidden_layers").asInt(12),
                v.path("num_attention_heads").asInt(12),
                v.path("intermediate_size").asInt(3072),
                v.path("layer_norm_eps").asDouble(1e-5));
        Text text = new Text(
                t.path("vocab_size").asInt(49408),
                t.path("max_position_embeddings").asInt(77),
                t.path("hidden_size").asInt(512),
                t.path("num_hidden_layers").asInt(12),
                t.path("num_attention_heads").asInt(8),
                t.path("intermediate_size").asInt(2048),
                t.path("layer_norm_eps").asDouble(1e-5));
        return new ClipConfig(vision, text, root.path("projection_dim").asInt(512), name);
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }
}
