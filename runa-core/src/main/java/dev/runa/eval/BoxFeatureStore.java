package dev.runa.eval;

import dev.runa.data.Box;
import dev.runa.features.FeatureCache;
import dev.runa.features.FeatureKey;
import dev.runa.features.ImageDigests;
import dev.runa.features.ImageSizes;
import dev.runa.ood.BoxFeatures;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.BoxViews;
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
 * <p>Keys ({@link FeatureKey#of}): model identity, image content digest, the integer crop each view
 * cuts (the margin-grown regional crop of {@link BoxViews#regionalBox}, the box's own
 * {@link PixelBox#covering} crop for the global view), view, view options: the same keys
 * {@code runa finetune} uses, so both share cached regional features.
 *
 * <p>The image is the unit of caching ({@link #lookup} answers for all of an image's boxes or none):
 * an image is then always encoded with the same boxes in the same batches, so features, and every
 * number derived from them, are bit-identical whether a run was interrupted or not.
 */
public final class BoxFeatureStore {
    private final FeatureCache cache;
    private final ImageDigests digests;
    private final ImageSizes sizes = new ImageSizes();
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
        this.viewOptions = views.describe();
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
        ImageSizes.Size size;
        try {
            size = sizes.size(file, digest);
        } catch (IOException e) {
            return Optional.empty(); // not an image: decoding will report it per image
        }
        List<BoxFeatures> out = new ArrayList<>(boxes.size());
        try {
            for (Box b : boxes) {
                Optional<float[]> r = cache.get(key(digest, size, b, FeatureKey.View.REGIONAL));
                if (r.isEmpty()) {
                    return Optional.empty();
                }
                Optional<float[]> g = cache.get(key(digest, size, b, FeatureKey.View.GLOBAL));
                if (g.isEmpty()) {
                    return Optional.empty();
                }
                out.add(new BoxFeatures(r.get(), g.get()));
            }
        } catch (DegenerateBoxException e) {
            return Optional.empty(); // degenerate on the real image: the views step reports it per box
        }
        return Optional.of(out);
    }

    /** Stores the features of an image's boxes; null entries (boxes without views) are skipped. */
    public void store(Path file, List<Box> boxes, List<BoxFeatures> features) throws IOException {
        if (boxes.size() != features.size()) {
            throw new IllegalArgumentException(
                    file + ": " + boxes.size() + " boxes but " + features.size() + " features");
        }
        String digest = digests.digest(file);
        ImageSizes.Size size = sizes.size(file, digest);
        for (int i = 0; i < boxes.size(); i++) {
            BoxFeatures f = features.get(i);
            if (f == null) {
                continue;
            }
            if (f.regional() == null || f.global() == null) {
                throw new IllegalArgumentException(file + ": box " + i + " lacks its regional or global feature;"
                        + " the evaluation needs both views");
            }
            cache.put(key(digest, size, boxes.get(i), FeatureKey.View.REGIONAL), f.regional());
            cache.put(key(digest, size, boxes.get(i), FeatureKey.View.GLOBAL), f.global());
        }
    }

    // The key names the pixels each view cuts: the regional crop (margin-grown, as BoxViews makes it)
    // or the box's own covering crop for the global view, both clamped to the image.
    private FeatureKey key(String digest, ImageSizes.Size size, Box b, FeatureKey.View view) {
        PixelBox crop = view == FeatureKey.View.REGIONAL
                ? BoxViews.regionalBox(views, b.x1(), b.y1(), b.x2(), b.y2(), size.width(), size.height())
                : PixelBox.covering(b.x1(), b.y1(), b.x2(), b.y2(), size.width(), size.height());
        return FeatureKey.of(model, digest, crop, view, viewOptions);
    }
}
