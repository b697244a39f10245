package dev.runa.finetune;

import dev.runa.adapter.Adapter;
import dev.runa.adapter.AdapterProvenance;
import dev.runa.clip.ModelIdentity;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.FusionMode;
import dev.runa.ood.Projection;
import dev.runa.ood.PromptSet;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Few-shot ID alignment end to end (docs/method.md section 5): optional held-out split, seeded shot
 * draw, cached regional features, projection training with per-epoch held-out accuracy, and the
 * resulting {@link Adapter} with its provenance. Knows the backbone only through a
 * {@link CachedRegionFeatures.RegionEncoder} and the model's identity, prompt embeddings and
 * pretrained projection, so it runs the same on a real CLIP and on synthetic features.
 */
public final class FewShotFineTuner {

    /**
     * What to train.
     *
     * @param prompts         ID classes and prompt template (class order = label set order)
     * @param shots           shots per class, or {@link FewShotSampler#ALL}
     * @param seed            seed of the held-out split, the shot draw and the shuffling
     * @param holdoutFraction share of every class's regions held out for accuracy reporting (0 = none)
     * @param training        optimiser settings (its seed is replaced by {@code seed})
     * @param views           view options of the regional crops
     * @param lambda          fusion weight recorded in the adapter (what it is meant to be scored with)
     * @param fusion          fusion mode recorded in the adapter
     */
    public record Request(
            PromptSet prompts,
            int shots,
            long seed,
            double holdoutFraction,
            TrainingSettings training,
            BoxViewOptions views,
            double lambda,
            FusionMode fusion) {
        public Request {
            Objects.requireNonNull(prompts, "prompts");
            Objects.requireNonNull(training, "training");
            Objects.requireNonNull(views, "views");
            Objects.requireNonNull(fusion, "fusion");
            if (!(holdoutFraction >= 0 && holdoutFraction < 1)) {
                throw new IllegalArgumentException("held-out fraction must lie in [0, 1), got " + holdoutFraction);
            }
            if (shots < FewShotSampler.ALL) {
                throw new IllegalArgumentException("shots must be >= 0 or all, got " + shots);
            }
        }
    }

    /** The model side: identity, unit prompt embeddings (class order) and the pretrained projection. */
    public record Model(ModelIdentity identity, float[][] prompts, Projection pretrained) {
        public Model {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(prompts, "prompts");
            Objects.requireNonNull(pretrained, "pretrained");
        }
    }

    /** Progress notifications (all optional). */
    public interface Listener {
        /** Feature extraction of {@code regions} regions (shots and held-out) begins. */
        default void featuresStarted(int regions) {}

        /** {@code done} of the regions have features. */
        default void featuresProgress(int done, int total) {}

        /** Training of {@code epochs} epochs begins. */
        default void trainingStarted(int epochs) {}

        /** An epoch ended with this mean training loss and held-out accuracy (NaN without a held-out split). */
        default void epochDone(int epoch, double loss, double heldOutAccuracy) {}
    }

    /**
     * What a run did.
     *
     * @param adapter          the trained projection and its provenance
     * @param shots            the shot draw, with per-class counts (short classes included)
     * @param heldOut          number of held-out regions (0 without a split)
     * @param featuresReused   features read from the cache
     * @param featuresComputed features computed by the backbone
     * @param initialLoss      training loss of the pretrained projection (NaN with no shots)
     * @param finalLoss        training loss after the last epoch (NaN with no shots)
     * @param epochLosses      training loss after each epoch
     * @param heldOutBefore    held-out accuracy of the pretrained projection (NaN without a split)
     * @param heldOutAfter     held-out accuracy of the trained projection (NaN without a split)
     * @param heldOutPerEpoch  held-out accuracy after each epoch (empty without a split)
     * @param featureSeconds   wall time of feature extraction (cache lookups included)
     * @param trainingSeconds  wall time of the epochs (held-out evaluation included)
     */
    public record Report(
            Adapter adapter,
            FewShotSampler.Sample shots,
            int heldOut,
            int featuresReused,
            int featuresComputed,
            double initialLoss,
            double finalLoss,
            double[] epochLosses,
            double heldOutBefore,
            double heldOutAfter,
            double[] heldOutPerEpoch,
            double featureSeconds,
            double trainingSeconds,
            List<String> skipped) {
        public Report {
            skipped = List.copyOf(skipped);
        }
    }

    private final Model model;
    private final CachedRegionFeatures features;
    private final CachedRegionFeatures.RegionEncoder encoder;

    /**
     * @param model    the model's identity, prompt embeddings and pretrained projection
     * @param features cached features keyed by the same model identity and view options as the request's
     * @param encoder  computes missing features
     */
    public FewShotFineTuner(Model model, CachedRegionFeatures features, CachedRegionFeatures.RegionEncoder encoder) {
        this.model = Objects.requireNonNull(model, "model");
        this.features = Objects.requireNonNull(features, "features");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /**
     * Trains on ground-truth regions.
     *
     * @param regions  all ID regions of the training set (class indices in the prompt set's order)
     * @param listener progress, may be null
     */
    public Report run(List<LabelledRegion> regions, Request request, Listener listener) throws IOException {
        Listener l = listener != null ? listener : new Listener() {};
        int k = request.prompts().size();
        if (model.prompts().length != k) {
            throw new IllegalArgumentException(model.prompts().length + " prompt embeddings for " + k + " classes");
        }
        IdSplit split = request.holdoutFraction() > 0
                ? IdSplit.split(regions, k, request.holdoutFraction(), request.seed())
                : new IdSplit(regions, List.of());
        FewShotSampler.Sample shots = new FewShotSampler(request.shots(), request.seed()).sample(split.train(), k);

        long t0 = System.nanoTime();
        int total = shots.regions().size() + split.heldOut().size();
        l.featuresStarted(total);
        int drawn = shots.regions().size();
        CachedRegionFeatures.Result train =
                features.features(shots.regions(), encoder, (done, n) -> l.featuresProgress(done, total));
        CachedRegionFeatures.Result held =
                features.features(split.heldOut(), encoder, (done, n) -> l.featuresProgress(drawn + done, total));
        double featureSeconds = (System.nanoTime() - t0) / 1e9;
        requireEveryDrawnClass(shots.regions(), train, request.prompts().labels());
        List<String> skipped = new ArrayList<>(train.skipped());
        skipped.addAll(held.skipped());

        HeldOutEvaluator eval = split.heldOut().isEmpty()
                ? null
                : new HeldOutEvaluator(held.features(), held.labels(), model.prompts());
        double before = eval == null ? Double.NaN : eval.accuracy(model.pretrained());
        TrainingSettings settings = new TrainingSettings(
                request.training().learningRate(),
                request.training().weightDecay(),
                request.training().batchSize(),
                request.training().epochs(),
                request.training().temperature(),
                request.seed());

        long t1 = System.nanoTime();
        int shotCount = train.features().length;
        Projection trained;
        double initialLoss;
        double[] losses;
        double[] heldPerEpoch = new double[eval == null ? 0 : settings.epochs()];
        if (shotCount == 0) {
            trained = model.pretrained();
            initialLoss = Double.NaN;
            losses = new double[0];
        } else {
            l.trainingStarted(settings.epochs());
            ProjectionTrainer.Result r = new ProjectionTrainer(settings)
                    .train(
                            train.features(),
                            train.labels(),
                            model.prompts(),
                            model.pretrained(),
                            (epoch, loss, current) -> {
                                double acc = Double.NaN;
                                if (eval != null) {
                                    acc = eval.accuracy(current);
                                    heldPerEpoch[epoch - 1] = acc;
                                }
                                l.epochDone(epoch, loss, acc);
                            });
            trained = r.projection();
            initialLoss = r.initialLoss();
            losses = r.epochLosses();
        }
        double trainingSeconds = (System.nanoTime() - t1) / 1e9;
        double after = eval == null ? Double.NaN : eval.accuracy(trained);
        double finalLoss = losses.length == 0 ? initialLoss : losses[losses.length - 1];

        AdapterProvenance provenance = new AdapterProvenance(
                model.identity().text(),
                model.identity().revision(),
                request.prompts().labels(),
                request.prompts().template(),
                request.lambda(),
                request.fusion(),
                request.views().describe(),
                request.shots(),
                request.seed(),
                shotCount == 0 ? 0 : settings.epochs(),
                settings.learningRate(),
                finalLoss,
                Instant.now());
        return new Report(
                new Adapter(trained, provenance),
                shots,
                split.heldOut().size(),
                train.reused() + held.reused(),
                train.computed() + held.computed(),
                initialLoss,
                finalLoss,
                losses,
                before,
                after,
                heldPerEpoch,
                featureSeconds,
                trainingSeconds,
                skipped);
    }

    // Skipped shots (unreadable images) are tolerated as long as every class that was drawn keeps one.
    private static void requireEveryDrawnClass(
            List<LabelledRegion> drawn, CachedRegionFeatures.Result train, List<String> classNames) {
        Set<Integer> usable = new HashSet<>();
        for (int label : train.labels()) {
            usable.add(label);
        }
        Set<Integer> lost = new TreeSet<>();
        for (LabelledRegion r : drawn) {
            if (!usable.contains(r.classIndex())) {
                lost.add(r.classIndex());
            }
        }
        if (!lost.isEmpty()) {
            List<String> names = new ArrayList<>();
            lost.forEach(c -> names.add("'" + classNames.get(c) + "'"));
            throw new IllegalArgumentException("no usable shot left for class " + String.join(", ", names)
                    + ": every shot drawn for it is on an image that cannot be used (first problem: "
                    + train.skipped().get(0) + ")");
        }
    }
}
