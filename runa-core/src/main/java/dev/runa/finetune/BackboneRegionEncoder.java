package dev.runa.finetune;

import dev.runa.clip.VisionEncoder;
import dev.runa.data.Box;
import dev.runa.image.DecodeOptions;
import dev.runa.ood.BoxFeatureExtractor;
import dev.runa.ood.BoxFeatures;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.FeaturePipeline;
import dev.runa.ood.ImageJob;
import dev.runa.ood.ImageOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frozen CLIP vision transformer as a {@link CachedRegionFeatures.RegionEncoder}: regions are
 * grouped by image, each image is decoded once on worker threads, and the regional views of many
 * regions of many images go through the encoder together ({@link FeaturePipeline} with a
 * regional-only {@link BoxFeatureExtractor}, the same view code that scoring uses). Does not own the
 * encoder.
 */
public final class BackboneRegionEncoder implements CachedRegionFeatures.RegionEncoder {
    private final FeaturePipeline pipeline;

    /**
     * @param encoder         the frozen vision transformer
     * @param views           how regional views are made (must be the options the cache keys use)
     * @param maxViewsPerCall largest encoder batch
     * @param workers         decoder threads
     */
    public BackboneRegionEncoder(VisionEncoder encoder, BoxViewOptions views, int maxViewsPerCall, int workers) {
        BoxFeatureExtractor extractor = new BoxFeatureExtractor(encoder, views, true, false, maxViewsPerCall);
        // The pipeline counts two views per box when gathering a batch; regional-only boxes need one.
        this.pipeline = FeaturePipeline.viewBudget(
                extractor, DecodeOptions.DEFAULT, workers, Math.max(2, 2 * workers), 2 * maxViewsPerCall);
    }

    @Override
    public void encode(List<LabelledRegion> regions, CachedRegionFeatures.Sink sink) throws IOException {
        Map<Path, List<Integer>> byImage = new LinkedHashMap<>();
        for (int i = 0; i < regions.size(); i++) {
            byImage.computeIfAbsent(regions.get(i).imageFile(), f -> new ArrayList<>())
                    .add(i);
        }
        List<ImageJob> jobs = new ArrayList<>(byImage.size());
        List<List<Integer>> indices = new ArrayList<>(byImage.size());
        for (Map.Entry<Path, List<Integer>> e : byImage.entrySet()) {
            List<Box> boxes = new ArrayList<>();
            for (int i : e.getValue()) {
                boxes.add(regions.get(i).box());
            }
            jobs.add(new ImageJob(Integer.toString(jobs.size()), e.getKey(), boxes));
            indices.add(e.getValue());
        }
        try {
            pipeline.run(
                    jobs,
                    outcome -> deliver(
                            outcome, indices.get(Integer.parseInt(outcome.job().key())), regions, sink));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void deliver(
            ImageOutcome outcome, List<Integer> indices, List<LabelledRegion> regions, CachedRegionFeatures.Sink sink) {
        try {
            if (!outcome.ok()) {
                for (int i : indices) {
                    sink.failed(
                            i,
                            "image " + regions.get(i).imageId() + ": "
                                    + outcome.imageError().message());
                }
                return;
            }
            List<BoxFeatures> feats = outcome.features();
            for (int b = 0; b < indices.size(); b++) {
                LabelledRegion r = regions.get(indices.get(b));
                if (feats.get(b) == null) {
                    sink.failed(
                            indices.get(b),
                            "box " + r.box() + " of image " + r.imageId() + " (" + r.imageFile() + "): "
                                    + outcome.prepared().boxes().get(b).error().message());
                    continue;
                }
                sink.accept(
                        indices.get(b),
                        feats.get(b).regional(),
                        outcome.prepared().width(),
                        outcome.prepared().height());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
