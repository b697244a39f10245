package dev.runa.ood;

import dev.runa.clip.ClipImagePreprocessor;
import dev.runa.clip.ImageFeatures;
import dev.runa.clip.VisionEncoder;
import dev.runa.data.Box;
import dev.runa.image.GaussianBlur;
import dev.runa.image.PixelImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.stream.IntStream;

/**
 * Turns boxes into pooled features of their regional and global views (docs/method.md section 3):
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
    private final StageTimes times = new StageTimes();

    /**
     * @param encoder         the frozen vision transformer
     * @param views           how views are made
     * @param regional        compute the regional view
     * @param global          compute the global view
     * @param maxViewsPerCall largest encoder batch (at least one run per encoder session)
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
        // With several encoder sessions one call must hold a run for each, or they cannot run in parallel.
        this.maxViewsPerCall = Math.max(maxViewsPerCall, encoder.sessions() * encoder.maxRunBatch());
    }

    /**
     * Makes the views of every box of one image; degenerate boxes get an error instead of views.
     * Called on a {@link ForkJoinPool} worker (as {@link FeaturePipeline} does), the boxes of an
     * image with several boxes are split over that pool's idle workers; elsewhere they are made on
     * the calling thread.
     */
    public PreparedImage prepare(String source, PixelImage image, List<Box> boxes) {
        long t0 = StageTimes.cpuNow();
        PixelImage rgb = image.toRgb();
        long t1 = StageTimes.cpuNow();
        PixelImage blurred = global ? GaussianBlur.blur(rgb, views.blurRadius()) : null;
        long t2 = StageTimes.cpuNow();
        times.add(StageTimes.Stage.RGB, t1 - t0);
        times.add(StageTimes.Stage.BLUR, t2 - t1);
        BoxViews bv = BoxViews.of(rgb, blurred, preprocessor, views);
        times.add(StageTimes.Stage.VIEWS, StageTimes.cpuNow() - t2);
        PreparedImage.Prepared[] out = new PreparedImage.Prepared[boxes.size()];
        IntStream each = IntStream.range(0, out.length);
        // Work stealing splits one image's boxes only when other workers are idle, so a batch of
        // small images is still spread across images, and one image with many boxes across cores.
        if (out.length > 1 && ForkJoinTask.inForkJoinPool()) {
            each = each.parallel();
        }
        each.forEach(i -> {
            long s = StageTimes.cpuNow();
            out[i] = prepareBox(bv, boxes.get(i));
            times.add(StageTimes.Stage.VIEWS, StageTimes.cpuNow() - s);
        });
        return new PreparedImage(source, image.width(), image.height(), List.of(out));
    }

    private PreparedImage.Prepared prepareBox(BoxViews bv, Box b) {
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
            return new PreparedImage.Prepared(b, crop, r, g, null);
        } catch (DegenerateBoxException e) {
            return new PreparedImage.Prepared(b, null, null, null, BoxError.of(e));
        }
    }

    /** Where the time goes (decode, views, encoder, scoring), summed since creation; owned by this extractor. */
    public StageTimes times() {
        return times;
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
        long t0 = System.nanoTime();
        try {
            return encodeAll(inputs);
        } finally {
            times.add(StageTimes.Stage.ENCODER, System.nanoTime() - t0);
        }
    }

    private List<float[]> encodeAll(List<float[]> inputs) {
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
