package dev.runa.detect;

import dev.runa.image.PixelImage;

/**
 * Ultralytics' {@code LetterBox} (the predictor's preprocessing for exported models, {@code auto=False})
 * and its inverse {@code scale_boxes}, for one source size and one network input size.
 *
 * <p>Forward: {@code r = min(dstH / srcH, dstW / srcW)}; the image is resized with OpenCV
 * INTER_LINEAR ({@link LinearResize}) to {@code round(srcW * r) x round(srcH * r)} (Python's
 * {@code round}: half to even) unless that is its size already; the remaining width {@code dw} and
 * height {@code dh} are halved and padded with grey 114 as {@code top = round(dh / 2 - 0.1)},
 * {@code bottom = round(dh / 2 + 0.1)} (left and right alike). With {@code stretch} (RT-DETR's
 * {@code scale_fill}) the image is resized to the full input size without padding.
 *
 * <p>Inverse: {@code scale_boxes} recomputes the padding from the unrounded size,
 * {@code pad = round((dstW - srcW * gain) / 2 - 0.1)}, which can differ from {@code left} by one pixel;
 * this class reproduces that difference rather than "fixing" it, so boxes land where Ultralytics puts
 * them. Coordinates are float32 as in PyTorch. Immutable.
 *
 * @param srcW    source width
 * @param srcH    source height
 * @param dstW    network input width
 * @param dstH    network input height
 * @param stretch resize to the full input without keeping the aspect ratio (no padding)
 */
public record Letterbox(int srcW, int srcH, int dstW, int dstH, boolean stretch) {
    /** Ultralytics' padding grey. */
    public static final int PAD_VALUE = 114;

    public Letterbox {
        if (srcW < 1 || srcH < 1 || dstW < 1 || dstH < 1) {
            throw new IllegalArgumentException(
                    "letterbox " + srcW + "x" + srcH + " -> " + dstW + "x" + dstH + ": sizes must be >= 1");
        }
    }

    /** The resize ratio {@code min(dstH / srcH, dstW / srcW)} (Python float). */
    public double gain() {
        return Math.min((double) dstH / srcH, (double) dstW / srcW);
    }

    /** Width of the resized image inside the input. */
    public int newWidth() {
        return stretch ? dstW : (int) Math.rint(srcW * gain());
    }

    /** Height of the resized image inside the input. */
    public int newHeight() {
        return stretch ? dstH : (int) Math.rint(srcH * gain());
    }

    /** Padding rows above the image. */
    public int top() {
        return stretch ? 0 : (int) Math.rint((dstH - newHeight()) / 2.0 - 0.1);
    }

    /** Padding columns left of the image. */
    public int left() {
        return stretch ? 0 : (int) Math.rint((dstW - newWidth()) / 2.0 - 0.1);
    }

    /** The letterboxed image as interleaved RGB bytes ({@code dstW x dstH x 3}); {@code rgb} must be RGB. */
    public byte[] pixels(PixelImage rgb) {
        if (rgb.width() != srcW || rgb.height() != srcH || rgb.bands() != 3) {
            throw new IllegalArgumentException("letterbox for " + srcW + "x" + srcH + " RGB got a " + rgb.width() + "x"
                    + rgb.height() + " image with " + rgb.bands() + " bands");
        }
        int nw = newWidth();
        int nh = newHeight();
        byte[] src = rgb.samples();
        byte[] resized = nw == srcW && nh == srcH ? src : LinearResize.resize(src, srcW, srcH, 3, nw, nh);
        byte[] out = new byte[dstW * dstH * 3];
        java.util.Arrays.fill(out, (byte) PAD_VALUE);
        int top = top();
        int left = left();
        for (int y = 0; y < nh; y++) {
            System.arraycopy(resized, y * nw * 3, out, ((top + y) * dstW + left) * 3, nw * 3);
        }
        return out;
    }

    /** The network input: the letterboxed pixels as float32 {@code [3, dstH, dstW]} RGB in [0, 1] ({@code v / 255f}). */
    public float[] tensor(PixelImage rgb) {
        byte[] px = pixels(rgb);
        int plane = dstW * dstH;
        float[] t = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                t[c * plane + i] = (px[i * 3 + c] & 0xff) / 255f;
            }
        }
        return t;
    }

    /**
     * Maps a box from network input pixels back to source pixels as Ultralytics' {@code scale_boxes}
     * (or, stretched, by the per-axis ratios) and clips it to the image.
     *
     * @param xyxy {x1, y1, x2, y2} in input pixels (float32)
     * @return {x1, y1, x2, y2} in source pixels (float32)
     */
    public float[] toSource(float[] xyxy) {
        float[] b = new float[4];
        if (stretch) {
            float rx = (float) ((double) dstW / srcW);
            float ry = (float) ((double) dstH / srcH);
            b[0] = xyxy[0] / rx;
            b[1] = xyxy[1] / ry;
            b[2] = xyxy[2] / rx;
            b[3] = xyxy[3] / ry;
        } else {
            double gain = gain();
            float padX = (float) Math.rint((dstW - srcW * gain) / 2 - 0.1);
            float padY = (float) Math.rint((dstH - srcH * gain) / 2 - 0.1);
            float g = (float) gain;
            b[0] = (xyxy[0] - padX) / g;
            b[1] = (xyxy[1] - padY) / g;
            b[2] = (xyxy[2] - padX) / g;
            b[3] = (xyxy[3] - padY) / g;
        }
        return clip(b, srcW, srcH);
    }

    /** Ultralytics' {@code clip_boxes}: x into [0, width], y into [0, height]. */
    static float[] clip(float[] b, int width, int height) {
        b[0] = Math.max(0f, Math.min(width, b[0]));
        b[1] = Math.max(0f, Math.min(height, b[1]));
        b[2] = Math.max(0f, Math.min(width, b[2]));
        b[3] = Math.max(0f, Math.min(height, b[3]));
        return b;
    }
}
