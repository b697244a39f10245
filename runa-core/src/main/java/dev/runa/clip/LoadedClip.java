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
 * @param identity  {@code ORG/NAME@COMMIT} for hub models (the resolved commit),
 *                  {@code local:sha256:HEX} for local folders (the content of the weights and config,
 *                  so a copy or a touched file is the same model), {@code random:NAME} for random weights
 * @param legacyIdentity the form earlier versions recorded for a local folder (its path and the files'
 *                  sizes and modification times), or null; accepted from old adapter files
 */
public record LoadedClip(ClipModel model, ClipTokenizer tokenizer, String identity, String legacyIdentity)
        implements AutoCloseable {

    /** A model without an earlier identity form. */
    public LoadedClip(ClipModel model, ClipTokenizer tokenizer, String identity) {
        this(model, tokenizer, identity, null);
    }

    /**
     * {@code recorded} when it names this model in the current or the earlier form (an adapter made
     * by an older version), else the current identity: what a recorded identity is checked against.
     */
    public String identityMatching(String recorded) {
        return recorded != null && recorded.equals(legacyIdentity) ? recorded : identity;
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
        return model.vision().precision() == Precision.INT8 ? identity + "+int8" : identity;
    }

    @Override
    public void close() {
        model.close();
    }
}
