package dev.runa.ood;

/**
 * How {@link BoxViews} builds the two views of a box (docs/method.md section 3). The defaults
 * ({@link #DEFAULT}) reproduce the RUNA reference.
 *
 * @param contextMargin     regional view only: grow the box by this fraction of its width on the
 *                          left and on the right (and of its height at top and bottom) before
 *                          cropping; 0 = the box itself. Must be finite and >= 0.
 * @param squarePadRegional regional view only: pad the crop to a square (centred, CLIP mean
 *                          colour) before CLIP preprocessing, so elongated boxes are not cut by the
 *                          centre crop; false = plain CLIP transform
 * @param globalFit         how the global view is fitted to the square input
 * @param blurRadius        Gaussian standard deviation in pixels for the global view, Pillow's
 *                          {@code GaussianBlur(radius)}; must be finite and >= 0
 */
public record BoxViewOptions(double contextMargin, boolean squarePadRegional, GlobalFit globalFit, float blurRadius) {
    /** The reference settings: no margin, no padding, centre crop, blur radius 1. */
    public static final BoxViewOptions DEFAULT = new BoxViewOptions(0.0, false, GlobalFit.CENTER_CROP, 1.0f);

    /** How the (non-square) global view becomes a square network input. */
    public enum GlobalFit {
        /** CLIP's own transform: short side to n, centre crop (may cut boxes near the border). */
        CENTER_CROP,
        /** Pad to a square with the CLIP mean colour, then resize: nothing is cut. */
        PAD,
        /** Resize straight to n x n: nothing is cut, aspect ratio is not kept. */
        STRETCH
    }

    public BoxViewOptions {
        if (!(contextMargin >= 0) || Double.isInfinite(contextMargin)) {
            throw new IllegalArgumentException("context margin must be finite and >= 0, got " + contextMargin);
        }
        if (globalFit == null) {
            throw new IllegalArgumentException("global fit is null");
        }
        if (!(blurRadius >= 0) || Float.isInfinite(blurRadius)) {
            throw new IllegalArgumentException("blur radius must be finite and >= 0, got " + blurRadius);
        }
    }

    /** A canonical one-line description, recorded in calibrations, adapters and feature caches. */
    public String describe() {
        return "margin=" + contextMargin + ",square_pad=" + squarePadRegional + ",global_fit="
                + globalFit.name().toLowerCase(java.util.Locale.ROOT) + ",blur=" + blurRadius;
    }
}
