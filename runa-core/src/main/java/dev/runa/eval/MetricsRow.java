package dev.runa.eval;

/**
 * The metrics of one score of one experiment on one OOD set: one row of {@code report.json}'s
 * {@code results}.
 *
 * @param experiment the experiment name
 * @param idSet      the ID set name
 * @param oodSet     the OOD set name
 * @param score      the score key
 * @param metrics    the metrics (fractions)
 */
public record MetricsRow(String experiment, String idSet, String oodSet, String score, OodMetrics metrics) {}
