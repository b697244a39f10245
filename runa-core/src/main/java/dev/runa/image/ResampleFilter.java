package dev.runa.image;

/**
 * Pillow's resampling filters. Support and kernels are Pillow's ({@code libImaging/Resample.c});
 * {@link #NEAREST} is handled separately because Pillow implements it as an affine nearest
 * lookup, not as a convolution.
 */
public enum ResampleFilter {
    /** Nearest neighbour (Pillow's {@code Image.NEAREST}). */
    NEAREST(0.0),
    /** Triangle filter, support 1 (Pillow's {@code Image.BILINEAR}). */
    BILINEAR(1.0),
    /** Keys cubic convolution with a = -0.5, support 2 (Pillow's {@code Image.BICUBIC}). */
    BICUBIC(2.0),
    /** Lanczos-3 windowed sinc, support 3 (Pillow's {@code Image.LANCZOS}). */
    LANCZOS(3.0);

    private final double support;

    ResampleFilter(double support) {
        this.support = support;
    }

    /** Half-width of the kernel at scale 1, in input pixels. */
    public double support() {
        return support;
    }

    /** The kernel value at distance {@code x} (in input pixels at scale 1). */
    public double weight(double x) {
        switch (this) {
            case BILINEAR -> {
                double ax = Math.abs(x);
                return ax < 1.0 ? 1.0 - ax : 0.0;
            }
            case BICUBIC -> {
                // Keys (1981) cubic convolution, a = -0.5, written in Pillow's operation order.
                double a = -0.5;
                double ax = x < 0.0 ? -x : x;
                if (ax < 1.0) {
                    return ((a + 2.0) * ax - (a + 3.0)) * ax * ax + 1;
                }
                if (ax < 2.0) {
                    return (((ax - 5) * ax + 8) * ax - 4) * a;
                }
                return 0.0;
            }
            case LANCZOS -> {
                return (-3.0 <= x && x < 3.0) ? sinc(x) * sinc(x / 3) : 0.0;
            }
            default -> throw new IllegalStateException(this + " has no convolution kernel");
        }
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        double px = x * Math.PI;
        return Math.sin(px) / px;
    }
}
