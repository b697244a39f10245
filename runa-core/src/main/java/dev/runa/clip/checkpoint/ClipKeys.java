package dev.runa.clip.checkpoint;

import dev.runa.clip.ClipConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The canonical (Hugging Face {@code CLIPModel}) tensor names and shapes that a {@link ClipConfig}
 * requires. Graph builders, random-weight generators and checkpoint validation all use this one
 * list, so they cannot disagree on a name or a shape.
 */
public final class ClipKeys {

    /**
     * One required tensor.
     *
     * @param name  canonical Hugging Face name
     * @param shape expected shape (Hugging Face layout: linear weights are [out, in])
     */
    public record Key(String name, long[] shape) {
        public Key {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }

    public static final String LOGIT_SCALE = "logit_scale";
    public static final String VISUAL_PROJECTION = "visual_projection.weight";
    public static final String TEXT_PROJECTION = "text_projection.weight";

    private ClipKeys() {}

    /** Every tensor of a full CLIP model, vision tower first, then text tower, projections and logit scale. */
    public static List<Key> all(ClipConfig config) {
        List<Key> keys = new ArrayList<>(vision(config));
        keys.addAll(text(config));
        keys.add(new Key(LOGIT_SCALE, new long[] {}));
        return Collections.unmodifiableList(keys);
    }

    /** The vision tower and {@code visual_projection.weight}. */
    public static List<Key> vision(ClipConfig config) {
        ClipConfig.Vision v = config.vision();
        List<Key> keys = new ArrayList<>();
        String p = "vision_model.";
        keys.add(new Key(p + "embeddings.class_embedding", new long[] {v.width()}));
        keys.add(new Key(
                p + "embeddings.patch_embedding.weight", new long[] {v.width(), 3, v.patchSize(), v.patchSize()}));
        keys.add(new Key(p + "embeddings.position_embedding.weight", new long[] {v.sequenceLength(), v.width()}));
        layerNorm(keys, p + "pre_layrnorm", v.width());
        for (int i = 0; i < v.layers(); i++) {
            block(keys, p + "encoder.layers." + i + ".", v.width(), v.intermediateSize());
        }
        layerNorm(keys, p + "post_layernorm", v.width());
        keys.add(new Key(VISUAL_PROJECTION, new long[] {config.projectionDim(), v.width()}));
        return Collections.unmodifiableList(keys);
    }

    /** The text tower and {@code text_projection.weight}. */
    public static List<Key> text(ClipConfig config) {
        ClipConfig.Text t = config.text();
        List<Key> keys = new ArrayList<>();
        String p = "text_model.";
        keys.add(new Key(p + "embeddings.token_embedding.weight", new long[] {t.vocabSize(), t.width()}));
        keys.add(new Key(p + "embeddings.position_embedding.weight", new long[] {t.contextLength(), t.width()}));
        for (int i = 0; i < t.layers(); i++) {
            block(keys, p + "encoder.layers." + i + ".", t.width(), t.intermediateSize());
        }
        layerNorm(keys, p + "final_layer_norm", t.width());
        keys.add(new Key(TEXT_PROJECTION, new long[] {config.projectionDim(), t.width()}));
        return Collections.unmodifiableList(keys);
    }

    private static void block(List<Key> keys, String p, int width, int intermediate) {
        for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
            linear(keys, p + "self_attn." + proj, width, width);
        }
        layerNorm(keys, p + "layer_norm1", width);
        linear(keys, p + "mlp.fc1", intermediate, width);
        linear(keys, p + "mlp.fc2", width, intermediate);
        layerNorm(keys, p + "layer_norm2", width);
    }

    private static void linear(List<Key> keys, String p, int out, int in) {
        keys.add(new Key(p + ".weight", new long[] {out, in}));
        keys.add(new Key(p + ".bias", new long[] {out}));
    }

    private static void layerNorm(List<Key> keys, String p, int width) {
        keys.add(new Key(p + ".weight", new long[] {width}));
        keys.add(new Key(p + ".bias", new long[] {width}));
    }
}
