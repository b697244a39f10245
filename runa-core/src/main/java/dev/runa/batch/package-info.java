/**
 * What a batch scoring run works through: detector boxes grouped per image, in a fixed order, with
 * what the detector said about each (category, confidence). Built from a COCO results file and the
 * COCO image list it refers to, or from one image and boxes given by hand. Shared by the
 * {@code score} and {@code calibrate} commands; knows nothing about output formats. {@link
 * dev.runa.batch.RunTally} counts what a run did for its end-of-run summary.
 */
package dev.runa.batch;
