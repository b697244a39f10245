package dev.runa.ood;

import dev.runa.data.Box;

/**
 * The outcome for one box: its scores and decision, or why it could not be scored.
 *
 * @param box       the box as requested (pixel x1, y1, x2, y2)
 * @param crop      the integer box its views were cut from; null when degenerate
 * @param scores    all ID scores; null when the box could not be scored
 * @param ood       true OOD, false ID, null without a calibration (or without scores)
 * @param error     why the box has no scores, or null
 * @param millis    this box's share of the wall time spent on its image batch
 * @param reason    a short phrase naming the kind of failure (e.g. "truncated image", "box has no
 *                  area"), for counting failures by reason; null when scored
 */
public record BoxResult(
        Box box, PixelBox crop, BoxScores scores, Boolean ood, String error, double millis, String reason) {
    /** A result whose failure, if any, has the generic reason "error". */
    public BoxResult(Box box, PixelBox crop, BoxScores scores, Boolean ood, String error, double millis) {
        this(box, crop, scores, ood, error, millis, error == null ? null : "error");
    }

    /** True when the box was scored. */
    public boolean ok() {
        return error == null;
    }
}
