/**
 * The on-disk cache of per-box CLIP features that eval and fine-tuning share: entries keyed by the
 * model's feature identity, the view options, the image's SHA-256 and the box
 * ({@link dev.runa.features.FeatureKey}), so a re-run (or the other tool) encodes nothing it has
 * seen; plus the image digests and header-only image sizes those keys need. Depends on image and io
 * only; eval and finetune both depend on it, never on each other.
 */
package dev.runa.features;
