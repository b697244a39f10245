package dev.runa.eval;

import dev.runa.data.Box;
import dev.runa.finetune.FeatureCache;
import dev.runa.finetune.FeatureKey;
import dev.runa.finetune.ImageDigests;
import dev.runa.ood.BoxFeatures;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.DegenerateBoxException;
import dev.runa.ood.PixelBox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The regional and global pooled features of detector boxes, kept in a {@link FeatureCache} so that
 * an evaluation computes each box once, however many experiments score it and however often the run
 * is restarted.
 *
 * <p>Keys: model identity, image content digest, the box's integer pixels, view, view options. The
 * integer box is the crop {@link PixelBox#covering} takes before clamping to the image, i.e.
 * {@code (floor x1, floor y1, ceil x2, ceil y2)} of the box (of the margin-grown box for the regional
 * view, as {@link dev.runa.ood.BoxViews#regionalBox} grows it): two boxes share a key exactly when they
 * cut the same pixels from the same image, since clamping commutes with floor and ceil at integer
 * bounds. The view options are recorded with a {@code crop=covering} tag, so that entries written
 * under another crop-rounding convention (e.g. {@link FeatureKey#of}'s half-to-even rounding) never
 * answer a lookup here.
 *
 * <p>The image is the unit of caching ({@link #lookup} answers for all of an image's boxes or none):
 * an image is then always encoded with the same boxes in the same batches, so features, and every
 * number derived from them, are bit-identical whether a run was interrupted or not.
 */
public final class BoxFeatureStore {
    private final FeatureCache cache;
    private final ImageDigests digests;
    private final String model;
    private final BoxViewOptions views;
    private final String viewOptions;

    /**
     * @param cache   where features live
     * @param digests image identities (one instance per run, so each file is hashed once)
     * @param model   identity of the vision encoder's model
     * @param views   the view options the features are computed with
     */
    public BoxFeatureStore(FeatureCache cache, ImageDigests digests, String model, BoxViewOptions views) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.digests = Objects.requireNonNull(digests, "digests");
        this.model = Objects.requireNonNull(model, "model");
        this.views = Objects.requireNonNull(views, "views");
        this.viewOptions = views.describe() + ",crop=covering";
    }

    /** The underlying cache (for its statistics). */
    public FeatureCache cache() {
        return cache;
    }

    /**
     * Why no view can be made of {@code box} on a {@code width x height} image, foreseen from the box
     * alone (not finite, no area, outside the image), or empty when views can be made.
     */
    public static Optional<String> foreseeDegenerate(Box box, int width, int height) {
        try {
            PixelBox.covering(box.x1(), box.y1(), box.x2(), box.y2(), width, height);
            return Optional.empty();
        } catch (DegenerateBoxException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * The cached features of every box of an image, in box order, or empty when any is missing
     * (or damaged).
     */
    public Optional<List<BoxFeatures>> lookup(Path file, List<Box> boxes) throws IOException {
        String digest = digests.digest(file);
        List<BoxFeatures> out = new ArrayList<>(boxes.size());
        for (Box b : boxes) {
            Optional<float[]> r = cache.get(key(digest, b, FeatureKey.View.REGIONAL));
            if (r.isEmpty()) {
                return Optional.empty();
            }
            Optional<float[]> g = cache.get(key(digest, b, FeatureKey.View.GLOBAL));
            if (g.isEmpty()) {
                return Optional.empty();
            }
            out.add(new BoxFeatures(r.get(), g.get()));
        }
        return Optional.of(out);
    }

    /** Stores the features of an image's boxes; null entries (boxes without views) are skipped. */
    public void store(Path file, List<Box> boxes, List<BoxFeatures> features) throws IOException {
        if (boxes.size() != features.size()) {
            throw new IllegalArgumentException(file + ": " + boxes.size() + " boxes but " + features.size() + " features");
        }
        String digest = digests.digest(file);
        for (int i = 0; i < boxes.size(); i++) {
            BoxFeatures f = features.get(i);
            if (f == null) {
                continue;
            }
            if (f.regional() == null || f.global() == null) {
                throw new IllegalArgumentException(file + ": box " + i + " lacks its regional or global feature;"
                        + " the evaluation needs both views");
            }
            cache.put(key(digest, boxes.get(i), FeatureKey.View.REGIONAL), f.regional());
            cache.put(key(digest, boxes.get(i), FeatureKey.View.GLOBAL), f.global());
        }
    }

    private FeatureKey key(String digest, Box b, FeatureKey.View view) {
        double x1 = b.x1();
        double y1 = b.y1();
        double x2 = b.x2();
        double y2 = b.y2();
        if (view == FeatureKey.View.REGIONAL && views.contextMargin() != 0) {
            // Exactly BoxViews.regionalBox's growth, so the key names the pixels the regional view cuts.
            double mx = views.contextMargin() * (x2 - x1);
            double my = views.contextMargin() * (y2 - y1);
            if (Double.isFinite(mx) && Double.isFinite(my)) {
                x1 -= mx;
                y1 -= my;
                x2 += mx;
                y2 += my;
            }
        }
        return new FeatureKey(model, digest, toInt(Math.floor(x1)), toInt(Math.floor(y1)), toInt(Math.ceil(x2)),
                toInt(Math.ceil(y2)), view, viewOptions);
    }

    private static int toInt(double v) {
        // Beyond the int range every such coordinate clamps to the image edge alike.
        return (int) Math.max(Integer.MIN_VALUE / 2, Math.min(Integer.MAX_VALUE / 2, v));
    }
}
