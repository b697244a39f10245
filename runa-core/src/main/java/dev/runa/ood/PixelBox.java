package dev.runa.ood;

/**
 * An integer box in pixel coordinates, half-open: columns [left, right), rows [top, bottom).
 * Always non-empty.
 */
public record PixelBox(int left, int top, int right, int bottom) {
    public PixelBox {
        if (right <= left || bottom <= top) {
            throw new IllegalArgumentException(
                    "pixel box (" + left + ", " + top + ", " + right + ", " + bottom + ") is empty");
        }
    }

    /** right - left. */
    public int width() {
        return right - left;
    }

    /** bottom - top. */
    public int height() {
        return bottom - top;
    }

    /**
     * The pixels a float box (x1, y1, x2, y2) touches: (floor x1, floor y1, ceil x2, ceil y2)
     * clamped to a {@code width x height} image, as the RUNA reference does.
     *
     * @throws DegenerateBoxException if a coordinate is not finite, the box has no area, or
     *                                nothing of it lies inside the image
     */
    public static PixelBox covering(double x1, double y1, double x2, double y2, int width, int height) {
        if (!Double.isFinite(x1) || !Double.isFinite(y1) || !Double.isFinite(x2) || !Double.isFinite(y2)) {
            throw new DegenerateBoxException(DegenerateBoxException.Reason.NOT_FINITE, x1, y1, x2, y2, width, height);
        }
        if (x2 <= x1 || y2 <= y1) {
            throw new DegenerateBoxException(DegenerateBoxException.Reason.NO_AREA, x1, y1, x2, y2, width, height);
        }
        // Clamp in double first so huge coordinates cannot overflow the int conversion.
        int left = (int) Math.floor(Math.max(0, Math.min(x1, width)));
        int top = (int) Math.floor(Math.max(0, Math.min(y1, height)));
        int right = (int) Math.ceil(Math.max(0, Math.min(x2, width)));
        int bottom = (int) Math.ceil(Math.max(0, Math.min(y2, height)));
        if (right <= left || bottom <= top) {
            throw new DegenerateBoxException(
                    DegenerateBoxException.Reason.OUTSIDE_IMAGE, x1, y1, x2, y2, width, height);
        }
        return new PixelBox(left, top, right, bottom);
    }
}
