/**
 * Per-box output rows of scoring runs (JSON Lines and CSV, one row per box; the per-box JSON fields
 * in {@link dev.runa.output.BoxJson}, shared with the HTTP service) and the resumable,
 * atomic output file they go to. Rows carry their image index, box index and the image's box
 * count, so a partial file tells exactly which images are complete; that is what makes a killed run
 * resumable with output identical to an uninterrupted one.
 */
package dev.runa.output;
