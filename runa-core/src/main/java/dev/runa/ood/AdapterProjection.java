package dev.runa.ood;

/**
 * A fine-tuned image projection to score with, and an identity for it (e.g. the adapter file's
 * SHA-256) that calibrations record.
 *
 * @param projection the trained {@code [P, D]} projection
 * @param identity   names this projection in {@link ScoringSettings#adapter()}
 */
public record AdapterProjection(Projection projection, String identity) {}
