/**
 * From a front end's settings to an open {@link dev.runa.ood.RunaDetector}: the one place that
 * checks the user-level settings (classes, fusion, views, adapter, calibration, decision score)
 * and builds the detector from them, so that the command line, the service and Spark open the same
 * detector from the same settings and refuse the same mistakes with the same words.
 */
package dev.runa.setup;
