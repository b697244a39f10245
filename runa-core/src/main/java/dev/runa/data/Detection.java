package dev.runa.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One detector box from a COCO results file.
 *
 * @param imageId    the image id as text (integer ids are written in decimal), matching {@link CocoDataset.Image#id()}
 * @param categoryId the dataset category id the detector assigned
 * @param box        pixel xyxy box
 * @param score      detector confidence
 * @param logits     per-class logits ({@code inter_feat}), empty when the file has none
 * @param classProbs per-class probabilities ({@code cls_prob}, K+1 with background), empty when absent
 */
public record Detection(String imageId, int categoryId, Box box, double score, float[] logits, float[] classProbs) {
    private static final float[] NONE = new float[0];

    public Detection {
        logits = logits == null ? NONE : logits.clone();
        classProbs = classProbs == null ? NONE : classProbs.clone();
    }

    /** A detection without logits or probabilities. */
    public Detection(String imageId, int categoryId, Box box, double score) {
        this(imageId, categoryId, box, score, NONE, NONE);
    }

    @Override
    public float[] logits() {
        return logits.clone();
    }

    @Override
    public float[] classProbs() {
        return classProbs.clone();
    }

    public boolean hasLogits() {
        return logits.length > 0;
    }

    public boolean hasClassProbs() {
        return classProbs.length > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Detection d
                && imageId.equals(d.imageId)
                && categoryId == d.categoryId
                && box.equals(d.box)
                && Double.compare(score, d.score) == 0
                && Arrays.equals(logits, d.logits)
                && Arrays.equals(classProbs, d.classProbs);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Objects.hash(imageId, categoryId, box, score) + Arrays.hashCode(logits))
                + Arrays.hashCode(classProbs);
    }

    @Override
    public String toString() {
        return "Detection[imageId=" + imageId + ", categoryId=" + categoryId + ", box=" + box + ", score=" + score
                + ", logits=" + logits.length + ", classProbs=" + classProbs.length + "]";
    }
}
