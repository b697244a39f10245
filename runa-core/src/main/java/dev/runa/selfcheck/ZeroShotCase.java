package dev.runa.selfcheck;

import dev.runa.image.PixelImage;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One zero-shot check: an image, the prompts it is scored against, and what the probabilities should be.
 *
 * @param name       short name for reports ({@code "CLIP.png"})
 * @param image      the decoded image (preprocessed with CLIP's Pillow-exact resize and centre crop)
 * @param imageInfo  where the image came from, for the report (path, size, checksum)
 * @param labels     one label per prompt, the names the expectation uses
 * @param prompts    the texts encoded, one per label
 * @param fixedScale the logit scale to use; empty: the checkpoint's {@code exp(logit_scale)}
 * @param expected   the published probabilities
 * @param tolerance  how far they may be off
 */
public record ZeroShotCase(
        String name,
        PixelImage image,
        String imageInfo,
        List<String> labels,
        List<String> prompts,
        OptionalDouble fixedScale,
        ExpectedProbabilities expected,
        Tolerance tolerance) {

    public ZeroShotCase {
        Objects.requireNonNull(image, "image");
        labels = List.copyOf(labels);
        prompts = List.copyOf(prompts);
        if (labels.size() != prompts.size() || labels.size() < 2) {
            throw new IllegalArgumentException(
                    name + ": " + labels.size() + " labels and " + prompts.size() + " prompts (need the same, >= 2)");
        }
        if (new HashSet<>(labels).size() != labels.size()) {
            throw new IllegalArgumentException(name + ": repeated label in " + labels);
        }
        for (String l : expected.labels()) {
            if (!labels.contains(l)) {
                throw new IllegalArgumentException(name + ": expected label '" + l + "' is not among the labels");
            }
        }
        if (expected.complete() && expected.labels().size() != labels.size()) {
            throw new IllegalArgumentException(name + ": complete expectation has "
                    + expected.labels().size() + " labels, prompts " + labels.size());
        }
    }
}
