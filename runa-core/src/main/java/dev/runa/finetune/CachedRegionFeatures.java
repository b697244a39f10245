package dev.runa.finetune;

import dev.runa.features.FeatureCache;
import dev.runa.features.FeatureKey;
import dev.runa.features.ImageDigests;
import dev.runa.features.ImageSizes;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.BoxViews;
import dev.runa.ood.DegenerateBoxException;
import dev.runa.ood.PixelBox;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Regional-view pooled features of labelled regions through a {@link FeatureCache}: each region's
 * feature is taken from the cache when present; the missing ones are handed to a
 * {@link RegionEncoder} in one call (so it can batch them across regions and images) and stored as
 * they arrive, so an interrupted run keeps what it computed. Regions whose crops coincide (same
 * image content, same integer crop box) are computed once.
 *
 * <p>Keys are (model identity, image digest, integer regional crop box, regional view, view options);
 * the crop box is computed from the image size read from the file header, so cache hits need no decoding.
 */
public final class CachedRegionFeatures {
    private final FeatureCache cache;
    private final ImageDigests digests;
    private final ImageSizes sizes = new ImageSizes();
    private final String model;
    private final BoxViewOptions views;

    /** Computes the pooled regional feature of one region (runs the backbone); see {@link RegionEncoder#each}. */
    @FunctionalInterface
    public interface Encoder {
        float[] encode(LabelledRegion region) throws IOException;
    }

    /** Receives computed features, one call per region, in any order. */
    @FunctionalInterface
    public interface Sink {
        /**
         * A region whose feature cannot be computed (unreadable image, no view). By default the whole
         * computation stops with {@code problem}; {@link CachedRegionFeatures} skips the region instead.
         */
        default void failed(int index, String problem) throws IOException {
            throw new IOException(problem);
        }

        /**
         * @param index       the region's index in the list given to the encoder
         * @param feature     its pooled regional feature
         * @param imageWidth  width of the decoded image the view was cut from
         * @param imageHeight height of the decoded image
         */
        void accept(int index, float[] feature, int imageWidth, int imageHeight) throws IOException;
    }

    /** Computes pooled regional features of many regions at once (e.g. batched across images). */
    @FunctionalInterface
    public interface RegionEncoder {
        /** Computes every region's feature and hands each to {@code sink}. */
        void encode(List<LabelledRegion> regions, Sink sink) throws IOException;

        /** A region encoder calling a one-region encoder per region (reporting the probed image size). */
        static RegionEncoder each(Encoder encoder, ImageSizeSource sizes) {
            return (regions, sink) -> {
                for (int i = 0; i < regions.size(); i++) {
                    ImageSizes.Size s = sizes.size(regions.get(i));
                    sink.accept(i, encoder.encode(regions.get(i)), s.width(), s.height());
                }
            };
        }
    }

    /** The size of a region's image. */
    @FunctionalInterface
    public interface ImageSizeSource {
        ImageSizes.Size size(LabelledRegion region) throws IOException;
    }

    /**
     * The features in region order, their class indices, and how many came from the cache.
     *
     * @param features {@code [n][D]}
     * @param labels   class index per region
     * @param reused   features read from the cache
     * @param computed features computed by the encoder (and stored); regions sharing a crop count once
     * @param skipped  regions left out because no feature could be computed (unreadable image, no view),
     *                 one description each naming the image; {@code features} and {@code labels} hold
     *                 the other regions, in order
     */
    public record Result(float[][] features, int[] labels, int reused, int computed, List<String> skipped) {
        public Result {
            skipped = List.copyOf(skipped);
        }

        /** A result without skipped regions. */
        public Result(float[][] features, int[] labels, int reused, int computed) {
            this(features, labels, reused, computed, List.of());
        }
    }

    /**
     * @param cache   where features are kept
     * @param digests image identities (share one instance across calls so that each image is hashed once)
     * @param model   identity of the encoder's model ({@link dev.runa.clip.LoadedClip#identity()}), part of every key
     * @param views   the view options; decide the crop box and, described, are part of every key
     */
    public CachedRegionFeatures(FeatureCache cache, ImageDigests digests, String model, BoxViewOptions views) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.digests = Objects.requireNonNull(digests, "digests");
        this.model = Objects.requireNonNull(model, "model");
        this.views = Objects.requireNonNull(views, "views");
    }

    /** The size of a region's image, from its header (memoised per image content). */
    public ImageSizes.Size imageSize(LabelledRegion r) throws IOException {
        return sizes.size(r.imageFile(), digests.digest(r.imageFile()));
    }

    /**
     * The integer box the regional view of {@code r} is cut from.
     *
     * @throws IllegalArgumentException naming the image and box when no view can be made from it
     */
    public PixelBox cropBox(LabelledRegion r) throws IOException {
        ImageSizes.Size s = imageSize(r);
        try {
            return BoxViews.regionalBox(
                    views, r.box().x1(), r.box().y1(), r.box().x2(), r.box().y2(), s.width(), s.height());
        } catch (DegenerateBoxException e) {
            throw new IllegalArgumentException(
                    "box " + r.box() + " of image " + r.imageId() + " (" + r.imageFile() + ", " + s.width() + "x"
                            + s.height() + "): " + e.getMessage(),
                    e);
        }
    }

    /** The cache key of one region. */
    public FeatureKey key(LabelledRegion r) throws IOException {
        return FeatureKey.of(
                model, digests.digest(r.imageFile()), cropBox(r), FeatureKey.View.REGIONAL, views.describe());
    }

    /** As {@link #features(List, RegionEncoder, Progress)} with a one-region-at-a-time encoder. */
    public Result features(List<LabelledRegion> regions, Encoder encoder, Progress progress) throws IOException {
        return features(regions, RegionEncoder.each(encoder, this::imageSize), progress);
    }

    /**
     * Features of all regions, computing and caching the missing ones.
     *
     * @param progress called as regions are done with (done, total); may be null
     * A region whose image cannot be read, hashed or decoded, or that has no view, is skipped and
     * described in {@link Result#skipped()}: one bad image never stops the others.
     *
     * @throws IOException when the cache cannot be written or the encoder fails as a whole
     */
    public Result features(List<LabelledRegion> regions, RegionEncoder encoder, Progress progress) throws IOException {
        int n = regions.size();
        float[][] out = new float[n][];
        int[] labels = new int[n];
        FeatureKey[] keys = new FeatureKey[n];
        String[] problems = new String[n];
        int reused = 0;
        int done = 0;
        // missing key -> the regions that need it; the first of them is the one computed
        Map<FeatureKey, List<Integer>> missing = new HashMap<>();
        List<FeatureKey> missingOrder = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LabelledRegion r = regions.get(i);
            labels[i] = r.classIndex();
            try {
                keys[i] = key(r);
            } catch (IOException | RuntimeException e) {
                problems[i] = describe(r, e);
                done++;
                continue;
            }
            List<Integer> waiting = missing.get(keys[i]);
            if (waiting != null) {
                waiting.add(i);
                continue;
            }
            Optional<float[]> hit = cache.get(keys[i]);
            if (hit.isPresent()) {
                out[i] = hit.get();
                reused++;
                done++;
                if (progress != null) {
                    progress.done(done, n);
                }
            } else {
                List<Integer> list = new ArrayList<>();
                list.add(i);
                missing.put(keys[i], list);
                missingOrder.add(keys[i]);
            }
        }
        if (!missingOrder.isEmpty()) {
            List<LabelledRegion> toCompute = new ArrayList<>(missingOrder.size());
            for (FeatureKey k : missingOrder) {
                toCompute.add(regions.get(missing.get(k).get(0)));
            }
            int[] counter = {done};
            encoder.encode(toCompute, new Sink() {
                @Override
                public void accept(int index, float[] feature, int width, int height) throws IOException {
                    FeatureKey k = missingOrder.get(index);
                    List<Integer> targets = missing.get(k);
                    LabelledRegion r = regions.get(targets.get(0));
                    ImageSizes.Size probed = imageSize(r);
                    if (probed.width() != width || probed.height() != height) {
                        throw new IOException(r.imageFile() + ": decodes to " + width + "x" + height
                                + " but its header says " + probed.width() + "x" + probed.height()
                                + "; cannot key its features reliably");
                    }
                    cache.put(k, feature);
                    for (int i : targets) {
                        out[i] = feature;
                        counter[0]++;
                    }
                    if (progress != null) {
                        progress.done(counter[0], n);
                    }
                }

                @Override
                public void failed(int index, String problem) {
                    for (int i : missing.get(missingOrder.get(index))) {
                        problems[i] = problem;
                        counter[0]++;
                    }
                    if (progress != null) {
                        progress.done(counter[0], n);
                    }
                }
            });
        }
        int dim = -1;
        List<float[]> kept = new ArrayList<>(n);
        List<Integer> keptLabels = new ArrayList<>(n);
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LabelledRegion r = regions.get(i);
            if (problems[i] != null) {
                skipped.add(problems[i]);
                continue;
            }
            kept.add(out[i]);
            keptLabels.add(labels[i]);
            if (out[i] == null) {
                throw new IllegalStateException("the encoder gave no feature for region " + i + " (image "
                        + r.imageFile() + ", box " + r.box() + ")");
            }
            if (dim < 0) {
                dim = out[i].length;
            } else if (out[i].length != dim) {
                throw new IllegalStateException("feature of region " + i + " (image " + r.imageFile() + ") has size "
                        + out[i].length + ", earlier ones " + dim
                        + "; is the cache shared by different models under one name?");
            }
        }
        return new Result(
                kept.toArray(float[][]::new),
                keptLabels.stream().mapToInt(Integer::intValue).toArray(),
                reused,
                missingOrder.size(),
                skipped);
    }

    private static String describe(LabelledRegion r, Exception e) {
        String msg = e instanceof java.nio.file.NoSuchFileException ? "file not found" : e.getMessage();
        return "image " + r.imageId() + " (" + r.imageFile() + "), box " + r.box() + ": " + msg;
    }

    /** Progress callback. */
    @FunctionalInterface
    public interface Progress {
        void done(int regions, int total);
    }
}
