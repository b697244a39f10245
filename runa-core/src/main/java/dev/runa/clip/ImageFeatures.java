package dev.runa.clip;

/**
 * What the image tower produces for one image.
 *
 * @param pooled    post-LayerNorm class token before the projection [width]
 * @param embedding projected embedding, not normalised [projection]
 */
public record ImageFeatures(float[] pooled, float[] embedding) {
    public ImageFeatures {
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
