/**
 * The VOS benchmark protocol: sample selection, metrics (FPR95, AUROC, AUPR), reports and plots.
 */
package dev.runa.eval;
