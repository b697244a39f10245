package dev.runa.features;

import dev.runa.ood.PixelBox;
import java.util.Locale;
import java.util.Objects;

/**
 * Identifies one cached pooled feature: which model computed it, from which image content, for
 * which box, through which view with which options.
 *
 * <p>The box is the integer pixel box the view is actually cut from ({@link dev.runa.ood.BoxViews#regionalBox}:
 * the float box grown by the context margin, floor/ceil to whole pixels, clamped to the image), not
 * the float box, so two float boxes share an entry exactly when their views are made of the same
 * pixels.
 *
 * @param model       identity of the vision encoder (hub id with revision, directory, {@code random:NAME})
 * @param imageDigest content digest of the image file ({@link ImageDigests})
 * @param x1          left of the crop, pixels (inclusive)
 * @param y1          top of the crop, pixels (inclusive)
 * @param x2          right of the crop, pixels (exclusive)
 * @param y2          bottom of the crop, pixels (exclusive)
 * @param view        regional or global view
 * @param viewOptions canonical description of the view options (margin, padding, fit, blur radius)
 */
public record FeatureKey(
        String model, String imageDigest, int x1, int y1, int x2, int y2, View view, String viewOptions) {
    /** Which view of the box the feature is of (docs/method.md section 3). */
    public enum View {
        /** The box cropped out of the image. */
        REGIONAL,
        /** The whole image blurred outside the box. */
        GLOBAL
    }

    public FeatureKey {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(imageDigest, "imageDigest");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(viewOptions, "viewOptions");
        if (x2 < x1 || y2 < y1) {
            throw new IllegalArgumentException(
                    "feature key box has negative size: (" + x1 + ", " + y1 + ", " + x2 + ", " + y2 + ")");
        }
    }

    /** A key for the integer crop box a view is cut from. */
    public static FeatureKey of(String model, String imageDigest, PixelBox crop, View view, String viewOptions) {
        return new FeatureKey(
                model, imageDigest, crop.left(), crop.top(), crop.right(), crop.bottom(), view, viewOptions);
    }

    /** The key's namespace part (model, view, options): entries sharing it are stored together. */
    String namespace() {
        return field(model) + field(view.name().toLowerCase(Locale.ROOT)) + field(viewOptions);
    }

    /** An unambiguous text form of the whole key (every field length-prefixed), stored in each entry to verify it. */
    String canonical() {
        return "runa-feature-key/1|" + namespace() + field(imageDigest) + field(x1 + "," + y1 + "," + x2 + "," + y2);
    }

    private static String field(String s) {
        return s.length() + ":" + s + "|";
    }
}
