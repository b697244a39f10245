package dev.runa.eval;

import dev.runa.data.Detection;
import java.nio.file.Path;
import java.util.List;

/**
 * The samples of one test set after the confidence threshold: per image, the detector boxes to score.
 *
 * @param name   the set's name
 * @param images images with at least one selected box, in the dataset file's image order
 * @param counts what the selection kept and dropped
 */
public record SampleSet(String name, List<ImageSamples> images, Counts counts) {
    public SampleSet {
        images = List.copyOf(images);
    }

    /**
     * One image and its selected boxes.
     *
     * @param imageId    the dataset image id as text
     * @param file       the image file
     * @param width      width from the dataset file (used only to foresee boxes outside the image)
     * @param height     height from the dataset file
     * @param detections the selected boxes, in results-file order
     */
    public record ImageSamples(String imageId, Path file, int width, int height, List<Detection> detections) {
        public ImageSamples {
            detections = List.copyOf(detections);
        }
    }

    /**
     * @param imagesInSet      images the dataset file lists
     * @param detections       boxes in the results file
     * @param outsideSet       boxes on images the dataset file does not list (ignored)
     * @param belowThreshold   boxes below the confidence threshold
     * @param selected         boxes kept as samples
     * @param imagesWithBoxes  images with at least one kept box
     */
    public record Counts(
            int imagesInSet, int detections, int outsideSet, int belowThreshold, int selected, int imagesWithBoxes) {}

    /** Number of selected boxes. */
    public int sampleCount() {
        return counts.selected();
    }
}
