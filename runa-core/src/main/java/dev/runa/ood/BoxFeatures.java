package dev.runa.ood;

/**
 * The pooled, pre-projection features of one box's two views (the vision transformer's
 * post-LayerNorm class token). A view that the fusion does not need is null.
 *
 * @param regional {@code r = I(x_b)}, or null
 * @param global   {@code g = I(x_g(b))}, or null
 */
public record BoxFeatures(float[] regional, float[] global) {}
