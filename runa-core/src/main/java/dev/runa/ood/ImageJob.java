package dev.runa.ood;

import dev.runa.data.Box;
import java.nio.file.Path;
import java.util.List;

/**
 * One image file and the boxes to score on it.
 *
 * @param key   the caller's name for the image (e.g. its dataset image id)
 * @param file  the image file
 * @param boxes the boxes, in output order
 */
public record ImageJob(String key, Path file, List<Box> boxes) {
    public ImageJob {
        boxes = List.copyOf(boxes);
    }
}
