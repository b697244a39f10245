package dev.runa.ood;

import dev.runa.clip.ClipImagePreprocessor;
import dev.runa.clip.ImageFeatures;
import dev.runa.clip.VisionEncoder;
import dev.runa.data.Box;
import dev.runa.image.PixelImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns boxes into pooled features of their regional and global views (design doc section 3):
 * {@link #prepare} builds the views (CPU, thread-safe, run it on decoder threads), and
 * {@link #extract} runs the vision transformer on the views of many boxes of many images in as few
 * ONNX Runtime calls as possible, at most {@code maxViewsPerCall} views each, which bounds memory.
 * Thread-safe; does not own the encoder.
 */
public final class BoxFeatureExtractor {
    private final VisionEncoder encoder;
    private final ClipImagePreprocessor preprocessor;
    private final BoxViewOptions views;
    private final boolean regional;
    private final boolean global;
    private final int maxViewsPerCall;

    /**
     * @param encoder         the frozen vision transformer
     * @param views           how views are made
     * @param regional        compute the regional view
     * @param global          compute the global view
     * @param maxViewsPerCall largest encoder batch
     */
    public BoxFeatureExtractor(
            VisionEncoder encoder, BoxViewOptions views, boolean regional, boolean global, int maxViewsPerCall) {
        if (!regional && !global) {
            throw new IllegalArgumentException("at least one of the regional and global views is needed");
        }
        if (maxViewsPerCall < 1) {
            throw new IllegalArgumentException("views per call must be >= 1, got " + maxViewsPerCall);
        }
        this.encoder = encoder;
        this.preprocessor = new ClipImagePreprocessor(encoder.config().vision().imageSize());
        this.views = views;
        this.regional = regional;
        this.global = global;
        this.maxViewsPerCall = maxViewsPerCall;
    }

    /** Width of the pooled features. */
    public int featureWidth() {
        return encoder.config().vision().width();
    }

    /** Makes the views of every box of one image; degenerate boxes get an error instead of views. */
    public PreparedImage prepare(String source, PixelImage image, List<Box> boxes) {
        BoxViews bv = BoxViews.forImage(image, preprocessor, views, global);
        List<PreparedImage.Prepared> out = new ArrayList<>(boxes.size());
        for (Box b : boxes) {
            try {
                PixelBox crop = bv.pixelBox(b.x1(), b.y1(), b.x2(), b.y2());
                float[] r = null;
                float[] g = null;
                if (regional) {
                    r = new float[bv.floatsPerView()];
                    bv.writeRegional(b.x1(), b.y1(), b.x2(), b.y2(), r, 0);
                }
                if (global) {
                    g = new float[bv.floatsPerView()];
                    bv.writeGlobal(b.x1(), b.y1(), b.x2(), b.y2(), g, 0);
                }
                out.add(new PreparedImage.Prepared(b, crop, r, g, null));
            } catch (DegenerateBoxException e) {
                out.add(new PreparedImage.Prepared(
                        b, null, null, null, e.getMessage(), e.reason().label()));
            }
        }
        return new PreparedImage(source, image.width(), image.height(), out);
    }

    /**
     * Pooled features of every prepared box, per image and in box order; null where a box had no
     * views.
     */
    public List<List<BoxFeatures>> extract(List<PreparedImage> images) {
        List<float[]> inputs = new ArrayList<>();
        for (PreparedImage img : images) {
            for (PreparedImage.Prepared p : img.boxes()) {
                if (p.ok()) {
                    if (regional) {
                        inputs.add(p.regional());
                    }
                    if (global) {
                        inputs.add(p.global());
                    }
                }
            }
        }
        List<float[]> pooled = encode(inputs);
        List<List<BoxFeatures>> result = new ArrayList<>(images.size());
        int k = 0;
        for (PreparedImage img : images) {
            List<BoxFeatures> feats = new ArrayList<>(img.boxes().size());
            for (PreparedImage.Prepared p : img.boxes()) {
                if (!p.ok()) {
                    feats.add(null);
                    continue;
                }
                float[] r = regional ? pooled.get(k++) : null;
                float[] g = global ? pooled.get(k++) : null;
                feats.add(new BoxFeatures(r, g));
            }
            result.add(feats);
        }
        return result;
    }

    private List<float[]> encode(List<float[]> inputs) {
        int per = preprocessor.floatsPerImage();
        List<float[]> out = new ArrayList<>(inputs.size());
        for (int start = 0; start < inputs.size(); start += maxViewsPerCall) {
            int n = Math.min(maxViewsPerCall, inputs.size() - start);
            float[] batch = new float[n * per];
            for (int i = 0; i < n; i++) {
                System.arraycopy(inputs.get(start + i), 0, batch, i * per, per);
            }
            for (ImageFeatures f : encoder.encode(batch, n)) {
                out.add(f.pooled());
            }
        }
        return out;
    }
}
