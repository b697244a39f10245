package dev.runa.cli;

import dev.runa.image.DecodeOptions;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** How much a run trusts its image files: the pixel limit and truncated JPEGs. */
final class ImageLimitOptions {
    @Option(
            names = "--max-pixels",
            paramLabel = "N",
            description = "Warn about images with more pixels than this; refuse (as an error row) those with more than"
                    + " twice as many, before decoding, like Pillow's MAX_IMAGE_PIXELS (default: "
                    + DecodeOptions.DEFAULT_MAX_PIXELS + ")")
    Long maxPixels;

    @Option(
            names = "--allow-truncated",
            description = "Score JPEGs whose data ends early, the missing part grey (Pillow's LOAD_TRUNCATED_IMAGES);"
                    + " by default they are errors")
    boolean allowTruncated;

    /** Decoding options with these limits, warnings printed to {@code err}. */
    DecodeOptions decodeOptions(boolean exifOrientation, PrintWriter err) {
        if (maxPixels != null && maxPixels < 1) {
            throw new IllegalArgumentException("--max-pixels must be >= 1, got " + maxPixels);
        }
        return new DecodeOptions(exifOrientation)
                .withMaxPixels(maxPixels == null ? DecodeOptions.DEFAULT_MAX_PIXELS : maxPixels)
                .withAllowTruncated(allowTruncated)
                .withWarnings(w -> err.println("runa: warning: " + w));
    }
}
