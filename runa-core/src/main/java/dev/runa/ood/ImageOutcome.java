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
 */
public record ImageOutcome(
        ImageJob job, PreparedImage prepared, List<BoxFeatures> features, BoxError imageError, double millis) {
    /** True when the image could be decoded. */
    public boolean ok() {
        return imageError == null;
    }
}
