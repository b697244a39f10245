package dev.runa.finetune;

import dev.runa.clip.ClipConfig;
import dev.runa.clip.RandomClipWeights;
import dev.runa.clip.checkpoint.SafetensorsWriter;
import dev.runa.testing.TinyCheckpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code random:tiny}-shaped checkpoint whose pooled image feature carries the image content by
 * construction: in every vision layer the query and key weights are zero (so attention is uniform
 * over all tokens) and the value and output projections are the identity, so the class token
 * receives the mean of the layer-normalised patch embeddings, which the random patch embedding
 * makes depend on colour and shape. The class embedding is zero, so no image-independent vector
 * dominates it. Everything else, the text tower included, keeps {@code random:tiny}'s random weights.
 * In a plain random init the attention output (values and output projections of std 0.02) is a few
 * thousandths of the class token, so the pooled feature barely depends on the image.
 */
final class PoolingCheckpoint {
    private PoolingCheckpoint() {}

    static Path write(Path dir) throws IOException {
        ClipConfig config = ClipConfig.tiny();
        Files.createDirectories(dir);
        TinyCheckpoints.writeConfig(dir.resolve("config.json"), config);
        TinyCheckpoints.writeByteLevelTokenizer(dir);
        int w = config.vision().width();
        SafetensorsWriter out = new SafetensorsWriter().metadata("format", "pt");
        try (RandomClipWeights weights = new RandomClipWeights(config, 0)) {
            for (String name : weights.names()) {
                long[] shape = weights.tensor(name).shape();
                boolean vision = name.startsWith("vision_model.");
                if (vision
                        && (name.contains(".q_proj.")
                                || name.contains(".k_proj.")
                                || name.endsWith("class_embedding")
                                || ((name.contains(".v_proj.") || name.contains(".out_proj."))
                                        && name.endsWith(".bias")))) {
                    out.addF32(name, shape, new float[Math.toIntExact(numel(shape))]);
                } else if (vision
                        && (name.contains(".v_proj.") || name.contains(".out_proj."))
                        && name.endsWith(".weight")) {
                    float[] eye = new float[w * w];
                    for (int i = 0; i < w; i++) {
                        eye[i * w + i] = 1;
                    }
                    out.addF32(name, shape, eye);
                } else {
                    out.add(name, weights.tensor(name));
                }
            }
            out.write(dir.resolve("model.safetensors"));
        }
        return dir;
    }

    private static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
