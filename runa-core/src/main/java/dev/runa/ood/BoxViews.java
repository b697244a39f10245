package dev.runa.ood;

import dev.runa.clip.ClipImagePreprocessor;
import dev.runa.image.ClipGeometry;
import dev.runa.image.GaussianBlur;
import dev.runa.image.PastedResize;
import dev.runa.image.PillowResize;
import dev.runa.image.PixelImage;
import dev.runa.image.PixelMode;
import dev.runa.image.ResampleFilter;

/**
 * RUNA's two views of a detector box (docs/method.md section 3), for all boxes of one image.
 *
 * <ul>
 *   <li>Regional view: the box's pixels (see {@link PixelBox#covering}) cropped from the image,
 *       then CLIP preprocessing.</li>
 *   <li>Global view: the whole image Gaussian-blurred (Pillow {@code GaussianBlur(radius)}) with the
 *       box's pixels pasted back sharp, then CLIP preprocessing.</li>
 * </ul>
 *
 * <p>The image is converted to RGB once (the reference blurs the RGB image; using the same RGB
 * image for the regional crop keeps both views on identical pixels, and for L/RGB sources it gives
 * the same bytes as cropping the original mode) and blurred once; both are reused for every box.
 * Instances are immutable and thread-safe.
 */
public final class BoxViews {
    // CLIP's mean colour in 8 bit (round(mean * 255)): padding with it normalises to about 0.
    private static final byte[] PAD_COLOUR = {(byte) 123, (byte) 117, (byte) 104};

    private final PixelImage rgb;
    private final PixelImage blurred;
    private final ClipImagePreprocessor preprocessor;
    private final BoxViewOptions options;
    // The global view's resize of the blurred image, reused by every box (null without global views).
    private final PastedResize globalResize;
    // Where the image sits inside the resized image (non-zero for the PAD fit).
    private final int offsetX;
    private final int offsetY;

    private BoxViews(PixelImage rgb, PixelImage blurred, ClipImagePreprocessor preprocessor, BoxViewOptions options) {
        this.rgb = rgb;
        this.blurred = blurred;
        this.preprocessor = preprocessor;
        this.options = options;
        int n = preprocessor.size();
        if (blurred == null) {
            globalResize = null;
            offsetX = 0;
            offsetY = 0;
        } else if (options.globalFit() == BoxViewOptions.GlobalFit.PAD) {
            // pad(blurred with box pasted) == pad(blurred) with the box pasted from pad(rgb), moved.
            int side = Math.max(rgb.width(), rgb.height());
            offsetX = (side - rgb.width()) / 2;
            offsetY = (side - rgb.height()) / 2;
            globalResize =
                    new PastedResize(padToSquare(blurred), padToSquare(rgb), n, n, ResampleFilter.BICUBIC, 0, 0, n, n);
        } else if (options.globalFit() == BoxViewOptions.GlobalFit.STRETCH) {
            offsetX = 0;
            offsetY = 0;
            globalResize = new PastedResize(blurred, rgb, n, n, ResampleFilter.BICUBIC, 0, 0, n, n);
        } else {
            offsetX = 0;
            offsetY = 0;
            ClipGeometry.Size s = ClipGeometry.resizedSize(rgb.width(), rgb.height(), n);
            int left = ClipGeometry.centerCropOffset(s.width(), n);
            int top = ClipGeometry.centerCropOffset(s.height(), n);
            globalResize = new PastedResize(
                    blurred, rgb, s.width(), s.height(), ResampleFilter.BICUBIC, left, top, left + n, top + n);
        }
    }

    /**
     * Prepares the views of one image: converts it to RGB and blurs it (the expensive part, done
     * once per image).
     */
    public static BoxViews forImage(PixelImage image, ClipImagePreprocessor preprocessor, BoxViewOptions options) {
        return forImage(image, preprocessor, options, true);
    }

    /**
     * As {@link #forImage(PixelImage, ClipImagePreprocessor, BoxViewOptions)}; with
     * {@code global = false} the blur is skipped (the regional-only encoder never needs it) and
     * global views cannot be made.
     */
    public static BoxViews forImage(
            PixelImage image, ClipImagePreprocessor preprocessor, BoxViewOptions options, boolean global) {
        PixelImage rgb = image.toRgb();
        return new BoxViews(rgb, global ? GaussianBlur.blur(rgb, options.blurRadius()) : null, preprocessor, options);
    }

    /**
     * Views over an image already converted to RGB and its blur ({@code GaussianBlur.blur(rgb,
     * options.blurRadius())}, or null for no global views): for callers that time the steps apart.
     */
    static BoxViews of(PixelImage rgb, PixelImage blurred, ClipImagePreprocessor preprocessor, BoxViewOptions options) {
        return new BoxViews(rgb, blurred, preprocessor, options);
    }

    /** Floats one view occupies (3 * n * n). */
    public int floatsPerView() {
        return preprocessor.floatsPerImage();
    }

    /** The image, converted to RGB. */
    public PixelImage image() {
        return rgb;
    }

    /** The integer box of the global view's sharp region for a float box. */
    public PixelBox pixelBox(double x1, double y1, double x2, double y2) {
        return PixelBox.covering(x1, y1, x2, y2, rgb.width(), rgb.height());
    }

    /** The integer box of the regional crop: the float box grown by the context margin. */
    public PixelBox regionalBox(double x1, double y1, double x2, double y2) {
        return regionalBox(options, x1, y1, x2, y2, rgb.width(), rgb.height());
    }

    /**
     * The integer box of the regional crop of a float box in a {@code width x height} image, without
     * decoding it: what {@link #regionalBox(double, double, double, double)} gives for an image of that
     * size. Feature caches key regional features by it, since it decides the view's pixels.
     *
     * @throws DegenerateBoxException if no view can be made from the box
     */
    public static PixelBox regionalBox(
            BoxViewOptions options, double x1, double y1, double x2, double y2, int width, int height) {
        double mx = options.contextMargin() * (x2 - x1);
        double my = options.contextMargin() * (y2 - y1);
        if (options.contextMargin() == 0 || !Double.isFinite(mx) || !Double.isFinite(my)) {
            return PixelBox.covering(x1, y1, x2, y2, width, height);
        }
        return PixelBox.covering(x1 - mx, y1 - my, x2 + mx, y2 + my, width, height);
    }

    /** The regional view before CLIP preprocessing: the (margin-grown) crop, square-padded if asked. */
    public PixelImage regionalImage(double x1, double y1, double x2, double y2) {
        PixelBox b = regionalBox(x1, y1, x2, y2);
        PixelImage crop = rgb.crop(b.left(), b.top(), b.right(), b.bottom());
        return options.squarePadRegional() ? padToSquare(crop) : crop;
    }

    /** The global view before CLIP preprocessing: blurred image with the box pasted back sharp. */
    public PixelImage globalImage(double x1, double y1, double x2, double y2) {
        if (blurred == null) {
            throw new IllegalStateException("these views were prepared without the global view");
        }
        PixelBox b = pixelBox(x1, y1, x2, y2);
        return blurred.pasteRegion(rgb, b.left(), b.top(), b.right(), b.bottom());
    }

    /**
     * Writes the regional view of box (x1, y1, x2, y2) at {@code dest[offset]}, 3 x n x n CHW.
     *
     * @throws DegenerateBoxException if no view can be made from the box
     */
    public void writeRegional(double x1, double y1, double x2, double y2, float[] dest, int offset) {
        preprocessor.preprocess(regionalImage(x1, y1, x2, y2), dest, offset);
    }

    /**
     * Writes the global view of box (x1, y1, x2, y2) at {@code dest[offset]}, 3 x n x n CHW.
     *
     * @throws DegenerateBoxException if no view can be made from the box
     */
    public void writeGlobal(double x1, double y1, double x2, double y2, float[] dest, int offset) {
        preprocessor.writeNormalized(globalView(x1, y1, x2, y2), dest, offset);
    }

    /**
     * The global view's n x n pixels before normalisation: the global image fitted to the square
     * input (centre crop, pad or stretch). Only the output pixels whose resampling windows meet the
     * box are computed per box (see {@link PastedResize}); byte-identical to {@link #fullGlobalView}.
     */
    public PixelImage globalView(double x1, double y1, double x2, double y2) {
        if (globalResize == null) {
            throw new IllegalStateException("these views were prepared without the global view");
        }
        PixelBox b = pixelBox(x1, y1, x2, y2);
        return globalResize.withPaste(b.left() + offsetX, b.top() + offsetY, b.right() + offsetX, b.bottom() + offsetY);
    }

    /**
     * {@link #globalView} computed the direct way, from the whole pasted image: the reference the
     * incremental computation is tested against (slow: a full paste and resize per box).
     */
    public PixelImage fullGlobalView(double x1, double y1, double x2, double y2) {
        PixelImage g = globalImage(x1, y1, x2, y2);
        int n = preprocessor.size();
        return switch (options.globalFit()) {
            case CENTER_CROP -> preprocessor.resizeAndCrop(g);
            case PAD -> preprocessor.resizeAndCrop(padToSquare(g));
            case STRETCH -> PillowResize.resize(g, n, n, ResampleFilter.BICUBIC);
        };
    }

    /**
     * Both views of a box in a new array [2][3 * n * n]: index 0 regional, 1 global.
     *
     * @throws DegenerateBoxException if no view can be made from the box
     */
    public float[][] views(double x1, double y1, double x2, double y2) {
        float[][] out = new float[2][floatsPerView()];
        writeRegional(x1, y1, x2, y2, out[0], 0);
        writeGlobal(x1, y1, x2, y2, out[1], 0);
        return out;
    }

    // Centres an RGB image on a square of the CLIP mean colour.
    static PixelImage padToSquare(PixelImage img) {
        int w = img.width();
        int h = img.height();
        if (w == h) {
            return img;
        }
        int side = Math.max(w, h);
        int ox = (side - w) / 2;
        int oy = (side - h) / 2;
        byte[] out = new byte[side * side * 3];
        for (int i = 0; i < side * side; i++) {
            System.arraycopy(PAD_COLOUR, 0, out, i * 3, 3);
        }
        byte[] src = img.samples();
        for (int y = 0; y < h; y++) {
            System.arraycopy(src, y * w * 3, out, ((oy + y) * side + ox) * 3, w * 3);
        }
        return new PixelImage(side, side, PixelMode.RGB, out);
    }
}
