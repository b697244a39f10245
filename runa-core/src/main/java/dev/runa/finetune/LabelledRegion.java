package dev.runa.finetune;

import dev.runa.data.Box;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;

/**
 * One ground-truth box of an ID class: a candidate shot for fine-tuning.
 *
 * @param imageFile    the image the box lies in
 * @param imageId      the dataset's image id (COCO id as text, VOC id, BDD image name)
 * @param box          pixel box, xyxy
 * @param classIndex   index into the ID label set
 * @param datasetLabel the category name as the dataset spells it (e.g. {@code tvmonitor})
 */
public record LabelledRegion(Path imageFile, String imageId, Box box, int classIndex, String datasetLabel) {
    /**
     * A total order that depends only on the region's content, so that sampling and splitting give
     * the same result whatever order the dataset file lists its images and boxes in. The image file's
     * path only breaks ties last, so moving the dataset to another folder does not change a draw.
     */
    public static final Comparator<LabelledRegion> CANONICAL_ORDER = Comparator.comparingInt(LabelledRegion::classIndex)
            .thenComparing(LabelledRegion::imageId)
            .thenComparingDouble(r -> r.box().x1())
            .thenComparingDouble(r -> r.box().y1())
            .thenComparingDouble(r -> r.box().x2())
            .thenComparingDouble(r -> r.box().y2())
            .thenComparing(LabelledRegion::datasetLabel)
            .thenComparing(r -> r.imageFile().toString());

    public LabelledRegion {
        Objects.requireNonNull(imageFile, "imageFile");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(datasetLabel, "datasetLabel");
        if (classIndex < 0) {
            throw new IllegalArgumentException("class index must be >= 0, got " + classIndex + " for image " + imageId);
        }
    }
}
