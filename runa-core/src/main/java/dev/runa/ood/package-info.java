/**
 * RUNA: per-box views, feature fusion, scores, calibration and the {@code RunaDetector} facade that applications embed.
 */
package dev.runa.ood;
