package dev.runa.clip;

import dev.runa.clip.checkpoint.CheckpointException;
import dev.runa.clip.checkpoint.ClipKeys;
import dev.runa.clip.checkpoint.WeightSource;
import dev.runa.tensor.TensorView;

/**
 * A whole CLIP model on ONNX Runtime: both towers over one set of weights. Owns the weight source
 * and closes it after the encoders (whose sessions use its buffers in place). Thread-safe.
 */
public final class ClipModel implements AutoCloseable {
    private final ClipConfig config;
    private final WeightSource weights;
    private final VisionEncoder vision;
    private final TextEncoder text;

    private ClipModel(ClipConfig config, WeightSource weights, VisionEncoder vision, TextEncoder text) {
        this.config = config;
        this.weights = weights;
        this.vision = vision;
        this.text = text;
    }

    /**
     * Opens both towers. Takes ownership of {@code weights}: it is closed with the model, or right
     * away if opening fails.
     */
    public static ClipModel open(ClipConfig config, WeightSource weights, EncoderOptions options) {
        VisionEncoder vision = null;
        try {
            vision = VisionEncoder.open(config, weights, options);
            TextEncoder text = TextEncoder.open(config, weights, options);
            return new ClipModel(config, weights, vision, text);
        } catch (RuntimeException e) {
            if (vision != null) {
                vision.close();
            }
            weights.close();
            throw e;
        }
    }

    public ClipConfig config() {
        return config;
    }

    /**
     * The checkpoint's temperature, {@code exp(logit_scale)}: CLIP's logits are this times the cosine
     * of image and text embeddings (100 for OpenAI's trained models, where training clipped it).
     */
    public double logitScale() {
        TensorView t = weights.tensor(ClipKeys.LOGIT_SCALE);
        if (t.numel() != 1) {
            throw new CheckpointException(weights.description() + ": '" + ClipKeys.LOGIT_SCALE + "' has " + t.numel()
                    + " values, expected one");
        }
        return Math.exp(t.asFloats().get(0));
    }

    /** The image tower (valid until this model is closed). */
    public VisionEncoder vision() {
        return vision;
    }

    /** The text tower (valid until this model is closed). */
    public TextEncoder text() {
        return text;
    }

    @Override
    public void close() {
        try {
            vision.close();
            text.close();
        } finally {
            weights.close();
        }
    }
}
