package dev.runa.ood;

import java.util.List;

/**
 * What {@link FeaturePipeline} made of one {@link ImageJob}: per box either pooled features or
 * the reason there are none, or an error for the whole image (unreadable file).
 *
 * @param job        the job
 * @param prepared   the prepared boxes (crops, per-box errors); null when the image failed
 * @param features   pooled features per box, null entries for degenerate boxes; null when the image failed
 * @param imageError why the image could not be used (e.g. "corrupt.jpg: not a JPEG or PNG file"), or null
 * @param millis     wall time spent on this image's share of the encoder batches and its preparation
 * @param imageErrorReason a short phrase saying which kind of failure (e.g. "truncated image"), for
 *                   counting failures by reason; null when the image could be used
 */
public record ImageOutcome(
        ImageJob job,
        PreparedImage prepared,
        List<BoxFeatures> features,
        String imageError,
        double millis,
        String imageErrorReason) {
    /** An outcome whose failure, if any, has the generic reason "image error". */
    public ImageOutcome(
            ImageJob job, PreparedImage prepared, List<BoxFeatures> features, String imageError, double millis) {
        this(job, prepared, features, imageError, millis, imageError == null ? null : "image error");
    }

    /** True when the image could be decoded. */
    public boolean ok() {
        return imageError == null;
    }
}
