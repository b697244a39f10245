package dev.runa.image;

/**
 * libjpeg's YCbCr -> RGB conversion ({@code jdcolor.c}), with its 16-bit fixed-point tables and
 * rounding, used for YCCK JPEGs whose raw raster ImageIO hands out unconverted.
 */
final class YccToRgb {
    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);

    private YccToRgb() {}

    private static int fix(double x) {
        return (int) (x * (1L << SCALEBITS) + 0.5);
    }

    static int[] convert(int y, int cb, int cr) {
        int x1 = cr - 128;
        int x2 = cb - 128;
        int crR = (fix(1.40200) * x1 + ONE_HALF) >> SCALEBITS;
        int cbB = (fix(1.77200) * x2 + ONE_HALF) >> SCALEBITS;
        int g = (-fix(0.71414) * x1 + (-fix(0.34414) * x2 + ONE_HALF)) >> SCALEBITS;
        return new int[] {clamp(y + crR), clamp(y + g), clamp(y + cbB)};
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
