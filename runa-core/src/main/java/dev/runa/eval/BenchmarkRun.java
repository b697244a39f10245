package dev.runa.eval;

import dev.runa.data.Box;
import dev.runa.data.Detection;
import dev.runa.image.DecodeOptions;
import dev.runa.ood.BoxFeatureExtractor;
import dev.runa.ood.BoxFeatures;
import dev.runa.ood.BoxScores;
import dev.runa.ood.DegenerateBoxException;
import dev.runa.ood.FeaturePipeline;
import dev.runa.ood.ImageJob;
import dev.runa.ood.ImageOutcome;
import dev.runa.ood.PixelBox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the benchmark's expensive part once and its cheap part per experiment: every selected box of
 * the ID and OOD sets gets its regional and global pooled features (from the {@link BoxFeatureStore},
 * or from the vision encoder through a {@link FeaturePipeline}, stored as soon as an image is done, so a
 * killed run loses at most the images in flight), and every {@link ScoringExperiment} scores those
 * features without running the network again.
 *
 * <p>Each image is encoded in its own encoder batches (the pipeline is asked for one image per batch):
 * features then do not depend on which other images happened to be encoded together, which makes a
 * resumed run's results bit-identical to an uninterrupted one's.
 *
 * <p>A box without views (degenerate, outside its image) or on an unreadable image is not a sample in
 * any experiment; it is counted and described in {@link Stats#problems()}.
 */
public final class BenchmarkRun {
    /** Most problem descriptions kept in {@link Stats#problems()}; the counts are always complete. */
    public static final int MAX_PROBLEMS = 20;

    private final BoxFeatureExtractor extractor;
    private final BoxFeatureStore store;
    private final DecodeOptions decode;
    private final int workers;

    /** Progress of a run; called on the calling thread. Throwing from it aborts the run (finished images stay cached). */
    public interface Listener {
        /** Before any work: images in all sets, and how many of them the cache answers in full. */
        default void started(int images, int cached) {}

        /** After each image, cached or encoded. */
        default void imageDone(String set, String imageId, boolean fromCache) {}

        /** Something the user should know (unreadable image, degenerate box). */
        default void warning(String message) {}
    }

    /**
     * What a run did.
     *
     * @param images          images with at least one selected box, all sets
     * @param imagesFromCache images whose features all came from the cache
     * @param imagesEncoded   images run through the vision encoder
     * @param boxesEncoded    boxes whose two views the encoder computed
     * @param samplesSkipped  selected boxes that are no sample (no views, unreadable image)
     * @param problems        the first {@link #MAX_PROBLEMS} reasons, "set/image: reason"
     * @param skipsByReason   every skipped box counted by the kind of problem ("truncated image": 3),
     *                        most frequent first
     */
    public record Stats(
            int images,
            int imagesFromCache,
            int imagesEncoded,
            int boxesEncoded,
            int samplesSkipped,
            List<String> problems,
            Map<String, Integer> skipsByReason) {
        public Stats {
            problems = List.copyOf(problems);
            skipsByReason = Collections.unmodifiableMap(new LinkedHashMap<>(skipsByReason));
        }
    }

    /**
     * @param experiments one result per experiment, in plan order
     * @param stats       what was computed and what was skipped
     */
    public record Outcome(List<ExperimentResult> experiments, Stats stats) {
        public Outcome {
            experiments = List.copyOf(experiments);
        }
    }

    /**
     * @param extractor views and vision encoder; must compute both views
     * @param store     the feature cache
     * @param decode    image decoding options
     * @param workers   decoder threads
     */
    public BenchmarkRun(BoxFeatureExtractor extractor, BoxFeatureStore store, DecodeOptions decode, int workers) {
        this.extractor = Objects.requireNonNull(extractor, "extractor");
        this.store = Objects.requireNonNull(store, "store");
        this.decode = Objects.requireNonNull(decode, "decode");
        if (workers < 1) {
            throw new IllegalArgumentException("decoder workers must be >= 1, got " + workers);
        }
        this.workers = workers;
    }

    /** One image of some set, with the per-box results filled in as they arrive. */
    private static final class Slot {
        final String set;
        final SampleSet.ImageSamples image;
        final List<Box> viewable = new ArrayList<>(); // boxes sent to the encoder / looked up, in order
        final int[] viewableIndex; // detection index -> index in viewable, or -1
        final String[] problem; // per detection
        final String[] reason; // per detection, the kind of problem
        BoxScores[][] scores; // [detection][experiment], null when no sample

        Slot(String set, SampleSet.ImageSamples image) {
            this.set = set;
            this.image = image;
            this.viewableIndex = new int[image.detections().size()];
            this.problem = new String[image.detections().size()];
            this.reason = new String[image.detections().size()];
            for (int i = 0; i < viewableIndex.length; i++) {
                Box b = image.detections().get(i).box();
                try {
                    PixelBox.covering(b.x1(), b.y1(), b.x2(), b.y2(), image.width(), image.height());
                    viewableIndex[i] = viewable.size();
                    viewable.add(b);
                } catch (DegenerateBoxException e) {
                    viewableIndex[i] = -1;
                    problem[i] = e.getMessage();
                    reason[i] = e.reason().label();
                }
            }
        }
    }

    /**
     * Computes (or reads) the features of every selected box and scores them in every experiment.
     *
     * @param id                 the ID samples
     * @param ood                the OOD sets, in report order, names unique and distinct from the ID set's
     * @param experiments        the experiments, names unique
     * @param numDetectorClasses K, the detector's number of ID classes (for the detector-side baselines)
     * @param labels             category id to name, for the samples' labels (missing ids get "")
     * @param listener           progress, may throw to abort
     * @throws IOException when the cache or an image file cannot be read or hashed
     */
    public Outcome run(
            SampleSet id,
            List<SampleSet> ood,
            List<ScoringExperiment> experiments,
            int numDetectorClasses,
            Map<Integer, String> labels,
            Listener listener)
            throws IOException {
        if (experiments.isEmpty()) {
            throw new IllegalArgumentException("no experiment to run");
        }
        List<SampleSet> sets = new ArrayList<>();
        sets.add(id);
        sets.addAll(ood);
        Set<String> names = new HashSet<>();
        for (SampleSet s : sets) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException(
                        "set name '" + s.name() + "' is used twice; set names must be unique");
            }
        }
        List<Slot> slots = new ArrayList<>();
        for (SampleSet s : sets) {
            for (SampleSet.ImageSamples img : s.images()) {
                slots.add(new Slot(s.name(), img));
            }
        }
        // Cheap pass first: the cache's answers, so progress and its ETA count only real work.
        List<Integer> pending = new ArrayList<>();
        List<List<BoxFeatures>> cached = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            Optional<List<BoxFeatures>> hit = s.viewable.isEmpty() ? Optional.of(List.of()) : lookup(s);
            cached.add(hit.orElse(null));
            if (hit.isEmpty()) {
                pending.add(i);
            }
        }
        listener.started(slots.size(), slots.size() - pending.size());
        for (int i = 0; i < slots.size(); i++) {
            if (cached.get(i) != null) {
                Slot s = slots.get(i);
                score(s, cached.get(i), experiments);
                cached.set(i, null);
                listener.imageDone(s.set, s.image.imageId(), true);
            }
        }
        int[] encoded = {0, 0, slots.size() - pending.size()}; // images encoded, boxes encoded, images from cache
        if (!pending.isEmpty()) {
            List<ImageJob> jobs = new ArrayList<>();
            for (int i : pending) {
                Slot s = slots.get(i);
                jobs.add(new ImageJob(Integer.toString(i), s.image.file(), s.viewable));
            }
            // viewsPerBatch = 1: one image per encoder batch (see the class comment).
            FeaturePipeline pipeline =
                    FeaturePipeline.viewBudget(extractor, decode, workers, Math.max(2, 2 * workers), 1);
            pipeline.run(jobs, outcome -> {
                Slot s = slots.get(Integer.parseInt(outcome.job().key()));
                if (outcome.ok()) {
                    try {
                        store.store(s.image.file(), s.viewable, outcome.features());
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write the feature cache: " + e.getMessage(), e);
                    }
                    encoded[0]++;
                    encoded[1] += (int)
                            outcome.features().stream().filter(Objects::nonNull).count();
                    noteDegenerate(s, outcome);
                    score(s, outcome.features(), experiments);
                } else {
                    for (int d = 0; d < s.problem.length; d++) {
                        if (s.problem[d] == null) {
                            s.problem[d] = outcome.imageError().message();
                            s.reason[d] = outcome.imageError().kind();
                        }
                    }
                    s.scores = new BoxScores[s.problem.length][];
                }
                listener.imageDone(s.set, s.image.imageId(), false);
            });
        }
        return assemble(id, ood, experiments, slots, numDetectorClasses, labels, encoded, listener);
    }

    // A file that cannot be hashed (missing, unreadable) is a miss: the pipeline then reports it
    // per image like any undecodable file, instead of the whole run stopping.
    private Optional<List<BoxFeatures>> lookup(Slot s) throws IOException {
        try {
            return store.lookup(s.image.file(), s.viewable);
        } catch (NoSuchFileException | AccessDeniedException e) {
            return Optional.empty();
        }
    }

    private static void noteDegenerate(Slot s, ImageOutcome outcome) {
        for (int d = 0; d < s.viewableIndex.length; d++) {
            int v = s.viewableIndex[d];
            if (v >= 0 && outcome.features().get(v) == null) {
                s.problem[d] = outcome.prepared().boxes().get(v).error().message();
                s.reason[d] = outcome.prepared().boxes().get(v).error().kind();
            }
        }
    }

    private static void score(Slot s, List<BoxFeatures> features, List<ScoringExperiment> experiments) {
        int n = s.image.detections().size();
        s.scores = new BoxScores[n][];
        for (int d = 0; d < n; d++) {
            int v = s.viewableIndex[d];
            BoxFeatures f = v < 0 ? null : features.get(v);
            if (f == null) {
                continue;
            }
            BoxScores[] row = new BoxScores[experiments.size()];
            for (int e = 0; e < row.length; e++) {
                row[e] = experiments.get(e).scorer().score(f);
            }
            s.scores[d] = row;
        }
    }

    /**
     * The detector-side baselines every sample has: every experiment compares its scores on the same
     * boxes, so a baseline that some boxes lack (no logits in one results file) is left out everywhere.
     */
    private static Set<String> commonBaselineKeys(List<Slot> slots, int k, Listener listener) {
        Set<String> common = null;
        Set<String> any = new LinkedHashSet<>();
        for (Slot s : slots) {
            for (int d = 0; d < s.image.detections().size(); d++) {
                if (s.scores == null || s.scores[d] == null) {
                    continue;
                }
                Set<String> keys =
                        DetectorBaselines.of(s.image.detections().get(d), k).keySet();
                any.addAll(keys);
                if (common == null) {
                    common = new LinkedHashSet<>(keys);
                } else {
                    common.retainAll(keys);
                }
            }
        }
        if (common == null) {
            return Set.of();
        }
        if (!common.containsAll(any)) {
            Set<String> dropped = new LinkedHashSet<>(any);
            dropped.removeAll(common);
            listener.warning("detector baselines " + dropped + " left out: some boxes have no logits"
                    + " (inter_feat) or class probabilities (cls_prob)");
        }
        return common;
    }

    private static Outcome assemble(
            SampleSet id,
            List<SampleSet> ood,
            List<ScoringExperiment> experiments,
            List<Slot> slots,
            int k,
            Map<Integer, String> labels,
            int[] encoded,
            Listener listener) {
        int nExp = experiments.size();
        List<List<ScoredSample>> idSamples = new ArrayList<>();
        List<Map<String, List<ScoredSample>>> oodSamples = new ArrayList<>();
        for (int e = 0; e < nExp; e++) {
            idSamples.add(new ArrayList<>());
            Map<String, List<ScoredSample>> m = new LinkedHashMap<>();
            ood.forEach(s -> m.put(s.name(), new ArrayList<>()));
            oodSamples.add(m);
        }
        Set<String> baselineKeys = commonBaselineKeys(slots, k, listener);
        int skipped = 0;
        List<String> problems = new ArrayList<>();
        Map<String, Integer> byReason = new LinkedHashMap<>();
        for (Slot s : slots) {
            boolean isId = s.set.equals(id.name());
            for (int d = 0; d < s.image.detections().size(); d++) {
                BoxScores[] row = s.scores == null ? null : s.scores[d];
                if (row == null) {
                    skipped++;
                    byReason.merge(s.reason[d] == null ? "error" : s.reason[d], 1, Integer::sum);
                    String msg = s.set + "/" + s.image.imageId() + ": " + s.problem[d];
                    if (problems.size() < MAX_PROBLEMS) {
                        problems.add(msg);
                    }
                    if (skipped <= MAX_PROBLEMS) {
                        listener.warning("skipped a box: " + msg);
                    }
                    continue;
                }
                Detection det = s.image.detections().get(d);
                String label = labels.getOrDefault(det.categoryId(), "");
                Map<String, Double> baselines = DetectorBaselines.of(det, k);
                baselines.keySet().retainAll(baselineKeys);
                for (int e = 0; e < nExp; e++) {
                    Map<String, Double> scores = ScoredSample.scoreMap(row[e]);
                    scores.putAll(baselines);
                    ScoredSample sample = ScoredSample.of(det, label, scores);
                    (isId ? idSamples.get(e) : oodSamples.get(e).get(s.set)).add(sample);
                }
            }
        }
        List<ExperimentResult> results = new ArrayList<>();
        for (int e = 0; e < nExp; e++) {
            ScoringExperiment x = experiments.get(e);
            results.add(new ExperimentResult(
                    x.name(), Optional.of(x.ablation()), id.name(), idSamples.get(e), oodSamples.get(e)));
        }
        Map<String, Integer> sortedReasons = new LinkedHashMap<>();
        byReason.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sortedReasons.put(e.getKey(), e.getValue()));
        return new Outcome(
                results, new Stats(slots.size(), encoded[2], encoded[0], encoded[1], skipped, problems, sortedReasons));
    }
}
