package dev.runa.clip;

/**
 * What the text tower produces for one token sequence.
 *
 * @param pooled    final-LayerNorm state at the end-of-text token [width]
 * @param embedding projected embedding, not normalised [projection]
 */
public record TextFeatures(float[] pooled, float[] embedding) {
    public TextFeatures {
        pooled = pooled.clone();
        embedding = embedding.clone();
    }

    @Override
    public float[] pooled() {
        return pooled.clone();
    }

    @Override
    public float[] embedding() {
        return embedding.clone();
    }
}
