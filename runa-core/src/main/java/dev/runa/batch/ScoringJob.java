package dev.runa.batch;

import dev.runa.ood.ImageJob;
import java.nio.file.Path;
import java.util.List;

/**
 * One image of a run and its boxes, in output order.
 *
 * @param index   position of the image in the run (0-based; outputs use it to know what is done)
 * @param imageId the dataset image id, or null for an image given by hand
 * @param file    the image file
 * @param boxes   the boxes, at least one
 */
public record ScoringJob(int index, String imageId, Path file, List<DetectedBox> boxes) {
    public ScoringJob {
        boxes = List.copyOf(boxes);
        if (boxes.isEmpty()) {
            throw new IllegalArgumentException("image " + file + " has no boxes to score");
        }
    }

    /** The pipeline's view of this job. */
    public ImageJob imageJob() {
        return new ImageJob(
                imageId == null ? file.toString() : imageId,
                file,
                boxes.stream().map(DetectedBox::box).toList());
    }
}
