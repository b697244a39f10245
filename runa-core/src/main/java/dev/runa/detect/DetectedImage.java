package dev.runa.detect;

import dev.runa.batch.ScoredImage;
import java.nio.file.Path;
import java.util.List;

/**
 * One image of a {@link DetectAndScore} run: what the detector found and what RUNA made of it.
 *
 * @param position the image's position in the run's input list (0-based)
 * @param file     the image file
 * @param width    image width in pixels (0 when it could not be decoded)
 * @param height   image height in pixels (0 likewise)
 * @param objects  the detections, best first; empty for an image without any (or unreadable)
 * @param scored   the RUNA rows' source (job index = position among images with detections); null
 *                 when the image has no detections, could not be read, or was scored by an earlier
 *                 run that this one resumes
 * @param error    why the image could not be used, or null
 */
public record DetectedImage(
        int position,
        Path file,
        int width,
        int height,
        List<DetectedObject> objects,
        ScoredImage scored,
        String error) {
    public DetectedImage {
        objects = List.copyOf(objects);
    }

    /** True when the image could be decoded. */
    public boolean ok() {
        return error == null;
    }
}
