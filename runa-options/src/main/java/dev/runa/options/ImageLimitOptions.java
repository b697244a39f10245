package dev.runa.options;

import dev.runa.image.DecodeOptions;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How much a run trusts its image files: {@code --max-pixels} and {@code --allow-truncated}. A
 * mutable parse target; not thread-safe.
 */
public final class ImageLimitOptions {
    @Mixin
    private MaxPixelsOption maxPixels = new MaxPixelsOption();

    @Option(
            names = "--allow-truncated",
            description = "Score JPEGs whose data ends early, the missing part grey (Pillow's LOAD_TRUNCATED_IMAGES);"
                    + " by default they are errors")
    private boolean allowTruncated;

    /** {@code --max-pixels}. */
    public MaxPixelsOption maxPixels() {
        return maxPixels;
    }

    /** {@code --allow-truncated}. */
    public boolean allowTruncated() {
        return allowTruncated;
    }

    /**
     * The library's decoding options with these limits, warnings printed to {@code err} as
     * {@code runa: warning: ...}.
     *
     * @throws IllegalArgumentException naming the flag, for a {@code --max-pixels} below 1
     */
    public DecodeOptions decodeOptions(boolean exifOrientation, PrintWriter err) {
        return new DecodeOptions(exifOrientation)
                .withMaxPixels(maxPixels.value())
                .withAllowTruncated(allowTruncated)
                .withWarnings(w -> err.println("runa: warning: " + w));
    }
}
