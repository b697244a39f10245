package dev.runa.ood;

import dev.runa.data.Box;
import java.util.List;

/**
 * One image's boxes with their network inputs ready: the CPU half of scoring (decode, views),
 * made on any thread, consumed by {@link BoxFeatureExtractor#extract}.
 *
 * @param source a name for messages and outputs (usually the file)
 * @param width  image width in pixels
 * @param height image height in pixels
 * @param boxes  one entry per requested box, in request order
 */
public record PreparedImage(String source, int width, int height, List<Prepared> boxes) {
    public PreparedImage {
        boxes = List.copyOf(boxes);
    }

    /**
     * One box's views, or why it has none.
     *
     * @param box      the box as requested
     * @param crop     the integer box the views were cut from; null when degenerate
     * @param regional the regional view (3 x n x n CHW), or null when not needed or degenerate
     * @param global   the global view, or null when not needed or degenerate
     * @param error    why no view could be made (e.g. "box has zero area after clamping"), or null
     */
    public record Prepared(Box box, PixelBox crop, float[] regional, float[] global, BoxError error) {
        /** True when views were made. */
        public boolean ok() {
            return error == null;
        }
    }
}
