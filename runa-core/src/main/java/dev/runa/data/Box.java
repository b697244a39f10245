package dev.runa.data;

/**
 * An axis-aligned box in pixel coordinates, corners (x1, y1) top-left and (x2, y2) bottom-right,
 * as floats (detector output is fractional). Width and height are x2 - x1 and y2 - y1.
 *
 * <p>A box holds whatever a detector or a user gave, even a degenerate one (NaN, inverted): the
 * readers of datasets reject those with a message naming the file, and scoring reports them per
 * box, so that one bad box never stops an image or a run. {@link #isProper()} tells them apart.
 */
public record Box(double x1, double y1, double x2, double y2) {

    /** True when every coordinate is finite and the box does not extend backwards. */
    public boolean isProper() {
        return Double.isFinite(x1)
                && Double.isFinite(y1)
                && Double.isFinite(x2)
                && Double.isFinite(y2)
                && x2 >= x1
                && y2 >= y1;
    }

    /** From COCO's {@code [x, y, width, height]}. */
    public static Box fromXywh(double x, double y, double width, double height) {
        return new Box(x, y, x + width, y + height);
    }

    public double width() {
        return x2 - x1;
    }

    public double height() {
        return y2 - y1;
    }

    public double area() {
        return width() * height();
    }

    /** Area of the intersection with {@code other} (0 when disjoint). */
    public double intersectionArea(Box other) {
        double w = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        double h = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        return w > 0 && h > 0 ? w * h : 0;
    }

    /** Intersection over union, with COCO's continuous-coordinate areas (no +1); 0 when both are empty. */
    public double iou(Box other) {
        double inter = intersectionArea(other);
        double union = area() + other.area() - inter;
        return union > 0 ? inter / union : 0;
    }
}
