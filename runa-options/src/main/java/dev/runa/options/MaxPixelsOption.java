package dev.runa.options;

import dev.runa.image.DecodeOptions;
import picocli.CommandLine.Option;

/**
 * {@code --max-pixels}: the image size limit, as Pillow's {@code MAX_IMAGE_PIXELS} (warn above it,
 * refuse above twice it, before decoding), default {@link DecodeOptions#DEFAULT_MAX_PIXELS}. What a
 * refusal looks like is the front end's (an error row, a 413), so is its help: description key
 * {@code runa.max-pixels}. A mutable parse target; not thread-safe.
 */
public final class MaxPixelsOption {
    @Option(
            names = "--max-pixels",
            paramLabel = "N",
            descriptionKey = "runa.max-pixels",
            description = "Warn about images with more pixels than this; refuse (as an error row) those with more than"
                    + " twice as many, before decoding, like Pillow's MAX_IMAGE_PIXELS (default: "
                    + DecodeOptions.DEFAULT_MAX_PIXELS + ")")
    private Long maxPixels;

    /** {@code --max-pixels} as given, or null when it was not (then the library's default applies). */
    public Long given() {
        return maxPixels;
    }

    /**
     * {@code --max-pixels}, or the library's default when not given.
     *
     * @throws IllegalArgumentException naming the flag, for a limit below 1
     */
    public long value() {
        if (maxPixels != null && maxPixels < 1) {
            throw new IllegalArgumentException("--max-pixels must be >= 1, got " + maxPixels);
        }
        return maxPixels == null ? DecodeOptions.DEFAULT_MAX_PIXELS : maxPixels;
    }
}
