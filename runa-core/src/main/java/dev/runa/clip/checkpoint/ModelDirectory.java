package dev.runa.clip.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.clip.ClipConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The files of a CLIP model in a local directory (a Hugging Face snapshot, an OpenCLIP hub
 * repository, or a hand-made folder), found and checked before anything is loaded.
 *
 * @param directory  the folder
 * @param config     the architecture, from {@code config.json} or {@code open_clip_config.json}
 * @param configFile the file it came from
 * @param weights    checkpoint files, several when sharded
 * @param tokenizer  tokenizer files, when present
 */
public record ModelDirectory(
        Path directory, ClipConfig config, Path configFile, List<Path> weights, Optional<TokenizerFiles> tokenizer) {

    /**
     * BPE tokenizer files: either Hugging Face's {@code vocab.json} + {@code merges.txt}, or
     * OpenAI's {@code bpe_simple_vocab_16e6.txt.gz} (then {@code vocabJson} and {@code mergesTxt}
     * are null).
     */
    public record TokenizerFiles(Path vocabJson, Path mergesTxt, Path bpeVocabGz) {
        /** True for the Hugging Face pair. */
        public boolean isHuggingFace() {
            return vocabJson != null;
        }
    }

    static final String HF_CONFIG = "config.json";
    static final String OPEN_CLIP_CONFIG = "open_clip_config.json";
    static final String SHARD_INDEX = "model.safetensors.index.json";
    /** Weight files by preference: safetensors before pickles, Hugging Face before OpenCLIP. */
    static final List<String> WEIGHT_FILES = List.of(
            "model.safetensors", "open_clip_model.safetensors", "pytorch_model.bin", "open_clip_pytorch_model.bin");

    static final String BPE_GZ = "bpe_simple_vocab_16e6.txt.gz";

    public ModelDirectory {
        weights = List.copyOf(weights);
    }

    /**
     * Finds the configuration, weights and tokenizer files in {@code dir}.
     *
     * @throws CheckpointException naming the directory and everything that is missing or unreadable
     */
    public static ModelDirectory find(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException(dir + ": not a directory");
        }
        List<String> missing = new ArrayList<>();
        Path configFile = null;
        if (Files.isRegularFile(dir.resolve(HF_CONFIG))) {
            configFile = dir.resolve(HF_CONFIG);
        } else if (Files.isRegularFile(dir.resolve(OPEN_CLIP_CONFIG))) {
            configFile = dir.resolve(OPEN_CLIP_CONFIG);
        } else {
            missing.add("configuration (" + HF_CONFIG + " or " + OPEN_CLIP_CONFIG + ")");
        }
        List<Path> weights = findWeights(dir);
        if (weights.isEmpty()) {
            missing.add("weights (" + String.join(", ", WEIGHT_FILES) + " or " + SHARD_INDEX + ")");
        }
        if (!missing.isEmpty()) {
            throw new CheckpointException(
                    dir + ": not a usable CLIP model directory, missing " + String.join("; ", missing));
        }
        ClipConfig config = readConfig(
                configFile,
                dir.toAbsolutePath().normalize().getFileName() == null
                        ? dir.toString()
                        : dir.toAbsolutePath().normalize().getFileName().toString());
        return new ModelDirectory(dir, config, configFile, weights, findTokenizer(dir));
    }

    /** The tokenizer files, or an exception naming the directory and the files it lacks. */
    public TokenizerFiles requireTokenizer() {
        return tokenizer.orElseThrow(() -> new CheckpointException(
                directory + ": no tokenizer files (vocab.json + merges.txt, or " + BPE_GZ + ")"));
    }

    /** Opens and validates the weights under canonical names; the caller owns the result. */
    public ClipWeights openWeights() {
        return ClipWeights.open(config, weights);
    }

    private static List<Path> findWeights(Path dir) {
        Path single = dir.resolve(WEIGHT_FILES.get(0));
        if (Files.isRegularFile(single)) {
            return List.of(single);
        }
        Path index = dir.resolve(SHARD_INDEX);
        if (Files.isRegularFile(index)) {
            return shards(index);
        }
        for (String name : WEIGHT_FILES.subList(1, WEIGHT_FILES.size())) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return List.of(dir.resolve(name));
            }
        }
        return List.of();
    }

    /** The shard files named by {@code model.safetensors.index.json}'s {@code weight_map}, in first-use order. */
    static List<Path> shards(Path index) {
        JsonNode map;
        try {
            map = new ObjectMapper().readTree(index.toFile()).path("weight_map");
        } catch (IOException e) {
            throw new CheckpointException(index + ": unreadable shard index: " + e.getMessage(), e);
        }
        if (!map.isObject() || map.isEmpty()) {
            throw new CheckpointException(index + ": no weight_map object");
        }
        Set<String> files = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            JsonNode f = it.next().getValue();
            if (!f.isTextual() || f.asText().contains("/") || f.asText().contains("\\")) {
                throw new CheckpointException(
                        index + ": weight_map entry " + f + " is not a file name in this directory");
            }
            files.add(f.asText());
        }
        List<Path> out = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (String f : files) {
            Path p = index.resolveSibling(f);
            if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                absent.add(f);
            }
        }
        if (!absent.isEmpty()) {
            throw new CheckpointException(index + ": shard files missing: " + absent);
        }
        return out;
    }

    private static Optional<TokenizerFiles> findTokenizer(Path dir) {
        Path vocab = dir.resolve("vocab.json");
        Path merges = dir.resolve("merges.txt");
        if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
            return Optional.of(new TokenizerFiles(vocab, merges, null));
        }
        Path gz = dir.resolve(BPE_GZ);
        if (Files.isRegularFile(gz)) {
            return Optional.of(new TokenizerFiles(null, null, gz));
        }
        return Optional.empty();
    }

    private static ClipConfig readConfig(Path file, String name) {
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new CheckpointException(file + ": not a JSON object");
            }
            return file.getFileName().toString().equals(OPEN_CLIP_CONFIG)
                    ? fromOpenClipJson(root, name)
                    : ClipConfig.fromHuggingFaceJson(root, name);
        } catch (IOException e) {
            throw new CheckpointException(file + ": unreadable configuration: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads OpenCLIP's {@code open_clip_config.json} ({@code model_cfg} with {@code embed_dim},
     * {@code vision_cfg}, {@code text_cfg}), using OpenCLIP's defaults for absent fields
     * ({@code head_width} 64, {@code mlp_ratio} 4, text heads 8, context 77, vocabulary 49408).
     * Only plain ViT towers with QuickGELU (OpenAI-style) are supported.
     */
    static ClipConfig fromOpenClipJson(JsonNode root, String name) {
        JsonNode m = root.path("model_cfg");
        if (!m.isObject()) {
            throw new IllegalArgumentException("no model_cfg object");
        }
        JsonNode v = m.path("vision_cfg");
        JsonNode t = m.path("text_cfg");
        if (v.has("timm_model_name") || t.has("hf_model_name")) {
            throw new IllegalArgumentException(
                    "timm or Hugging Face towers are not supported, only OpenCLIP's own ViT");
        }
        if (!m.path("quick_gelu").asBoolean(false)) {
            throw new IllegalArgumentException("model_cfg.quick_gelu is not true, so this model uses exact GELU"
                    + " activations, which runa does not implement; supported are QuickGELU models (quick_gelu: true,"
                    + " as OpenAI's CLIP and OpenCLIP's *-quickgelu configurations)");
        }
        int vWidth = v.path("width").asInt(768);
        int vHeads = Math.max(1, vWidth / v.path("head_width").asInt(64));
        int tWidth = t.path("width").asInt(512);
        ClipConfig.Vision vision = new ClipConfig.Vision(
                intOrFirst(v.path("image_size"), 224),
                intOrFirst(v.path("patch_size"), 16),
                vWidth,
                v.path("layers").asInt(12),
                vHeads,
                (int) Math.round(vWidth * v.path("mlp_ratio").asDouble(4.0)),
                1e-5);
        ClipConfig.Text text = new ClipConfig.Text(
                t.path("vocab_size").asInt(49408),
                t.path("context_length").asInt(77),
                tWidth,
                t.path("layers").asInt(12),
                t.path("heads").asInt(8),
                (int) Math.round(tWidth * t.path("mlp_ratio").asDouble(4.0)),
                1e-5);
        return new ClipConfig(vision, text, m.path("embed_dim").asInt(512), name);
    }

    /** OpenCLIP allows image/patch sizes as a number or a [h, w] pair; only square ones are supported. */
    private static int intOrFirst(JsonNode n, int dflt) {
        if (n.isArray()) {
            if (n.size() != 2 || n.get(0).asInt() != n.get(1).asInt()) {
                throw new IllegalArgumentException("non-square size " + n + " is not supported");
            }
            return n.get(0).asInt();
        }
        return n.asInt(dflt);
    }
}
