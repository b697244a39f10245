package dev.runa.image;

/**
 * The Pillow image mode of a decoded image, as far as it changes how the image is resampled and
 * converted to RGB. Samples are always 8 bit and interleaved, {@link #bands()} per pixel.
 */
public enum PixelMode {
    /** Pillow "1": bilevel, stored as 0 or 255; Pillow resizes it with nearest neighbour. */
    BILEVEL("1", 1, false, true),
    /** Pillow "L": greyscale. */
    L("L", 1, false, false),
    /** Pillow "LA": greyscale with alpha; resized premultiplied ("La"). */
    LA("LA", 2, true, false),
    /** Pillow "RGB". */
    RGB("RGB", 3, false, false),
    /** Pillow "RGBA"; resized premultiplied ("RGBa"). */
    RGBA("RGBA", 4, true, false),
    /**
     * Pillow "P": a palette image. Stored already expanded to its palette's RGB colours (the
     * palette's transparency is dropped, as Pillow's {@code convert("RGB")} does); the mode is kept
     * because Pillow resizes palette images with nearest neighbour whatever filter is asked.
     */
    P("P", 3, false, true),
    /** Pillow "CMYK" (ink amounts, 255 = full ink), as decoded from CMYK/YCCK JPEGs. */
    CMYK("CMYK", 4, false, false);

    private final String pillowName;
    private final int bands;
    private final boolean alpha;
    private final boolean nearestOnly;

    PixelMode(String pillowName, int bands, boolean alpha, boolean nearestOnly) {
        this.pillowName = pillowName;
        this.bands = bands;
        this.alpha = alpha;
        this.nearestOnly = nearestOnly;
    }

    /** Pillow's name for the mode ("L", "RGB", ...). */
    public String pillowName() {
        return pillowName;
    }

    /** Samples per pixel in {@link PixelImage}'s storage. */
    public int bands() {
        return bands;
    }

    /** Whether the last band is alpha (and resampling must premultiply). */
    public boolean hasAlpha() {
        return alpha;
    }

    /** Whether Pillow forces nearest-neighbour resampling for this mode. */
    public boolean nearestOnly() {
        return nearestOnly;
    }
}
