package dev.runa.image;

/**
 * The geometry of torchvision's {@code Resize(n)} + {@code CenterCrop(n)} as used by CLIP.
 */
public final class ClipGeometry {
    private ClipGeometry() {}

    /** A width and height in pixels. */
    public record Size(int width, int height) {}

    /**
     * torchvision {@code Resize(n)}: the short side becomes n, the long side
     * {@code int(n * long / short)} (Python true division, truncated).
     */
    public static Size resizedSize(int width, int height, int n) {
        if (width < 1 || height < 1 || n < 1) {
            throw new IllegalArgumentException("resize of a " + width + "x" + height + " image to short side " + n);
        }
        if (width <= height) {
            return new Size(n, (int) ((double) ((long) n * height) / width));
        }
        return new Size((int) ((double) ((long) n * width) / height), n);
    }

    /**
     * torchvision {@code CenterCrop(n)} offset along one axis: {@code int(round((size - n) / 2.0))}
     * with Python's round-half-to-even (e.g. 373 -> 74, not 75).
     */
    public static int centerCropOffset(int size, int n) {
        return (int) Math.rint((size - n) / 2.0);
    }
}
