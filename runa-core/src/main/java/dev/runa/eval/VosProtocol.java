package dev.runa.eval;

import dev.runa.data.CocoDataset;
import dev.runa.data.CocoResults;
import dev.runa.data.Detection;
import dev.runa.settings.SettingException;
import dev.runa.settings.SettingMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sample selection of the VOS benchmark (docs/method.md section 6): a detector box is a sample when its
 * confidence is at least a threshold, the same threshold for the ID and every OOD set. Boxes are not
 * matched to ground truth: false positives on ID images count as ID samples. The threshold is given,
 * or it is the F1-optimal confidence on the ID test set ({@link F1OptimalThreshold}), as the VOS code
 * computes it.
 */
public final class VosProtocol {
    private VosProtocol() {}

    /**
     * A set's files, read.
     *
     * @param spec       where it came from
     * @param dataset    the dataset file
     * @param detections the results file, every box
     */
    public record LoadedSet(BenchmarkSet spec, CocoDataset dataset, List<Detection> detections) {
        public LoadedSet {
            detections = List.copyOf(detections);
        }
    }

    /** Reads a set's dataset and results files (errors name the file and field). */
    public static LoadedSet load(BenchmarkSet spec) throws IOException {
        return new LoadedSet(spec, CocoDataset.read(spec.json()), CocoResults.read(spec.detections()));
    }

    /**
     * The F1-optimal confidence on the ID set: needs its ground-truth annotations; detections on images
     * the dataset file does not list are left out.
     *
     * @throws IllegalArgumentException when the ID set has no annotations, naming its file
     */
    public static F1OptimalThreshold.Result f1Threshold(LoadedSet id) {
        if (id.dataset().annotations().isEmpty()) {
            throw new SettingException(new SettingMessage(
                    id.spec().json() + ": the ID set has no annotations, so the F1-optimal"
                            + " threshold cannot be computed; give a threshold instead (",
                    "minConfidence",
                    ")"));
        }
        Set<String> ids = imageIds(id.dataset());
        List<Detection> onSet =
                id.detections().stream().filter(d -> ids.contains(d.imageId())).toList();
        return F1OptimalThreshold.compute(id.dataset(), onSet);
    }

    /**
     * The samples of a set: boxes with confidence &gt;= {@code threshold} on images the dataset lists,
     * grouped per image in the dataset's image order.
     */
    public static SampleSet select(LoadedSet set, double threshold) {
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("confidence threshold must be finite, got " + threshold);
        }
        Map<String, List<Detection>> byImage = new LinkedHashMap<>();
        for (CocoDataset.Image img : set.dataset().images()) {
            byImage.put(img.id(), new ArrayList<>());
        }
        int outside = 0;
        int below = 0;
        int selected = 0;
        for (Detection d : set.detections()) {
            List<Detection> list = byImage.get(d.imageId());
            if (list == null) {
                outside++;
            } else if (!(d.score() >= threshold)) {
                below++;
            } else {
                list.add(d);
                selected++;
            }
        }
        List<SampleSet.ImageSamples> images = new ArrayList<>();
        for (CocoDataset.Image img : set.dataset().images()) {
            List<Detection> list = byImage.get(img.id());
            if (!list.isEmpty()) {
                images.add(new SampleSet.ImageSamples(
                        img.id(), set.spec().images().resolve(img.fileName()), img.width(), img.height(), list));
            }
        }
        return new SampleSet(
                set.spec().name(),
                images,
                new SampleSet.Counts(
                        set.dataset().images().size(),
                        set.detections().size(),
                        outside,
                        below,
                        selected,
                        images.size()));
    }

    /** The counts of a selection as report settings. */
    public static Map<String, Object> describe(SampleSet set) {
        Map<String, Object> m = new LinkedHashMap<>();
        SampleSet.Counts c = set.counts();
        m.put("images", c.imagesInSet());
        m.put("detections", c.detections());
        m.put("detections_on_unlisted_images", c.outsideSet());
        m.put("below_threshold", c.belowThreshold());
        m.put("selected", c.selected());
        m.put("images_with_samples", c.imagesWithBoxes());
        return m;
    }

    private static Set<String> imageIds(CocoDataset d) {
        Set<String> ids = new HashSet<>();
        d.images().forEach(i -> ids.add(i.id()));
        return ids;
    }
}
