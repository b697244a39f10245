package dev.runa.ood;

import dev.runa.data.Box;

/**
 * The outcome for one box: its scores and decision, or why it could not be scored.
 *
 * @param box       the box as requested (pixel x1, y1, x2, y2)
 * @param crop      the integer box its views were cut from; null when degenerate
 * @param scores    all ID scores; null when the box could not be scored
 * @param ood       true OOD, false ID, null without a calibration (or without scores)
 * @param failure   why the box has no scores, or null
 * @param millis    this box's share of the wall time spent on its image batch
 */
public record BoxResult(Box box, PixelBox crop, BoxScores scores, Boolean ood, BoxError failure, double millis) {
    /** True when the box was scored. */
    public boolean ok() {
        return failure == null;
    }

    /** The failure's message (the {@code error} field of score's rows), or null when the box was scored. */
    public String error() {
        return failure == null ? null : failure.message();
    }
}
