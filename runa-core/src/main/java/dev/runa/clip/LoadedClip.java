package dev.runa.clip;

import dev.runa.clip.tokenizer.ClipTokenizer;
import dev.runa.clip.tokenizer.TokenBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * A CLIP model ready to use: both encoders, the matching tokenizer, and the model's identity
 * (recorded in calibrations, adapters and caches so they are never applied to another model).
 * Closing it closes the model.
 *
 * @param model     the encoders on ONNX Runtime (owned)
 * @param tokenizer the model's tokenizer
 * @param modelIdentity which weights these are
 */
public record LoadedClip(ClipModel model, ClipTokenizer tokenizer, ModelIdentity modelIdentity)
        implements AutoCloseable {

    /** The identity's recorded form (see {@link ModelIdentity#text()}). */
    public String identity() {
        return modelIdentity.text();
    }

    /** Tokenizes and encodes texts; returns one projected (not normalised) embedding per text. */
    public List<float[]> embedTexts(List<String> texts) {
        TokenBatch batch = tokenizer.encodeBatch(texts);
        int ctx = batch.contextLength();
        long[] flat = batch.ids();
        int[][] ids = new int[batch.size()][ctx];
        for (int i = 0; i < batch.size(); i++) {
            for (int j = 0; j < ctx; j++) {
                ids[i][j] = (int) flat[i * ctx + j];
            }
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (TextFeatures f : model.text().encode(ids)) {
            out.add(f.embedding());
        }
        return out;
    }

    /**
     * The identity to key cached image features by: int8 features differ slightly from fp32 ones, so
     * they must never be served for each other.
     */
    public String featureIdentity() {
        return model.vision().precision() == Precision.INT8 ? identity() + "+int8" : identity();
    }

    @Override
    public void close() {
        model.close();
    }
}
