package dev.runa.batch;

import dev.runa.data.Box;

/**
 * One box to score and what the detector said about it.
 *
 * @param box        pixel xyxy box
 * @param categoryId the detector's category id, or null when boxes were given by hand
 * @param label      the category's name from the image list, or null when unknown
 * @param confidence the detector's confidence, or null when boxes were given by hand
 */
public record DetectedBox(Box box, Integer categoryId, String label, Double confidence) {
    /** A box given by hand, without detector information. */
    public static DetectedBox of(Box box) {
        return new DetectedBox(box, null, null, null);
    }
}
