package dev.runa.finetune;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Pooled features of labelled regions through a {@link FeatureCache}: each region's feature is
 * taken from the cache when present, otherwise computed by the given encoder (the frozen vision
 * transformer on the region's view) and stored. This is the glue between the sampler and the
 * trainer; it knows nothing of the model beyond the encoder callback and the model identity.
 */
public final class CachedRegionFeatures {
    private final FeatureCache cache;
    private final ImageDigests digests;
    private final String model;
    private final FeatureKey.View view;
    private final String viewOptions;

    /** Computes the pooled feature of one region's view (runs the backbone). */
    @FunctionalInterface
    public interface Encoder {
        float[] encode(LabelledRegion region) throws IOException;
    }

    /**
     * The features in region order, their class indices, and how many came from the cache.
     *
     * @param features {@code [n][D]}
     * @param labels   class index per region
     * @param reused   features read from the cache
     * @param computed features computed by the encoder (and stored)
     */
    public record Result(float[][] features, int[] labels, int reused, int computed) {
    }

    /**
     * @param cache       where features are kept
     * @param digests     image identities (share one instance across calls so that each image is hashed once)
     * @param model       identity of the encoder's model, part of every key
     * @param view        the view the encoder computes
     * @param viewOptions canonical description of the view options, part of every key
     */
    public CachedRegionFeatures(FeatureCache cache, ImageDigests digests, String model, FeatureKey.View view,
                                String viewOptions) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.digests = Objects.requireNonNull(digests, "digests");
        this.model = Objects.requireNonNull(model, "model");
        this.view = Objects.requireNonNull(view, "view");
        this.viewOptions = Objects.requireNonNull(viewOptions, "viewOptions");
    }

    /** The cache key of one region. */
    public FeatureKey key(LabelledRegion r) throws IOException {
        return FeatureKey.of(model, digests.digest(r.imageFile()), r.box(), view, viewOptions);
    }

    /**
     * Features of all regions, computing and caching the missing ones.
     *
     * @param progress called after each region with (done, total); may be null
     * @throws IOException when an image cannot be read or hashed, naming it, or the encoder fails
     */
    public Result features(List<LabelledRegion> regions, Encoder encoder, Progress progress) throws IOException {
        int n = regions.size();
        float[][] out = new float[n][];
        int[] labels = new int[n];
        int reused = 0;
        int computed = 0;
        int dim = -1;
        for (int i = 0; i < n; i++) {
            LabelledRegion r = regions.get(i);
            FeatureKey k = key(r);
            Optional<float[]> hit = cache.get(k);
            float[] f;
            if (hit.isPresent()) {
                f = hit.get();
                reused++;
            } else {
                f = encoder.encode(r);
                cache.put(k, f);
                computed++;
            }
            if (dim < 0) {
                dim = f.length;
            } else if (f.length != dim) {
                throw new IllegalStateException("feature of region " + i + " (image " + r.imageFile() + ") has size "
                        + f.length + ", earlier ones " + dim + "; is the cache shared by different models under one name?");
            }
            out[i] = f;
            labels[i] = r.classIndex();
            if (progress != null) {
                progress.done(i + 1, n);
            }
        }
        return new Result(out, labels, reused, computed);
    }

    /** Progress callback. */
    @FunctionalInterface
    public interface Progress {
        void done(int regions, int total);
    }
}
