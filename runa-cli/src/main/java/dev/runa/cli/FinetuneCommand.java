package dev.runa.cli;

import dev.runa.adapter.AdapterFile;
import dev.runa.clip.LoadedClip;
import dev.runa.data.LabelSet;
import dev.runa.features.FeatureCache;
import dev.runa.features.ImageDigests;
import dev.runa.finetune.BackboneRegionEncoder;
import dev.runa.finetune.CachedRegionFeatures;
import dev.runa.finetune.FewShotFineTuner;
import dev.runa.finetune.FewShotSampler;
import dev.runa.finetune.GroundTruth;
import dev.runa.finetune.TrainingSettings;
import dev.runa.io.CacheFolders;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import dev.runa.progress.ProgressPolicy;
import dev.runa.progress.ProgressTask;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code runa finetune}: few-shot ID alignment. Reads ID ground truth, draws N shots per class,
 * computes (or reuses from the feature cache) their regional features, trains the image projection
 * and writes an adapter file for {@code runa score --adapter}. Progress bars go to stderr, the
 * summary to stdout.
 */
@Command(
        name = "finetune",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Fine-tunes CLIP's image projection on N ground-truth boxes per ID class (few-shot ID alignment)",
            "and writes an adapter file for 'runa score --adapter'."
        })
final class FinetuneCommand implements Callable<Integer> {
    private static final TrainingSettings DEFAULTS = TrainingSettings.paperDefaults();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--gt",
            required = true,
            paramLabel = "PATH",
            description = "ID ground truth: COCO-style JSON, PASCAL-VOC root folder, or BDD-100K label JSON")
    Path gt;

    @Option(
            names = "--gt-format",
            defaultValue = "auto",
            paramLabel = "FMT",
            description = "auto, coco, voc or bdd (default: ${DEFAULT-VALUE})")
    String gtFormat;

    @Option(
            names = "--images",
            paramLabel = "DIR",
            description =
                    "Folder the image names are relative to (default: JPEGImages/ for VOC, the JSON file's folder otherwise)")
    Path images;

    @Option(
            names = "--voc-split",
            defaultValue = GroundTruth.Options.DEFAULT_VOC_SPLIT,
            paramLabel = "NAME",
            description = "VOC image set (ImageSets/Main/NAME.txt) (default: ${DEFAULT-VALUE})")
    String vocSplit;

    @Option(names = "--include-difficult", description = "Keep VOC boxes marked difficult (skipped by default)")
    boolean includeDifficult;

    @Option(names = "--include-crowd", description = "Keep COCO crowd boxes (skipped by default)")
    boolean includeCrowd;

    @Option(
            names = "--shots",
            defaultValue = "10",
            paramLabel = "N",
            description = "Shots per class: a number or 'all' (default: ${DEFAULT-VALUE})")
    String shots;

    @Option(names = "--out", required = true, paramLabel = "F.safetensors", description = "Adapter file to write")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (default: 100)")
    int epochs = DEFAULTS.epochs();

    @Option(names = "--lr", paramLabel = "LR", description = "AdamW learning rate (default: 5e-6, the paper's)")
    double lr = DEFAULTS.learningRate();

    @Option(names = "--weight-decay", paramLabel = "WD", description = "AdamW decoupled weight decay (default: 0.01)")
    double weightDecay = DEFAULTS.weightDecay();

    @Option(names = "--batch-size", paramLabel = "N", description = "Samples per optimiser step (default: 256)")
    int batchSize = DEFAULTS.batchSize();

    @Option(names = "--temperature", paramLabel = "T", description = "Contrastive loss temperature (default: 0.01)")
    double temperature = DEFAULTS.temperature();

    @Option(
            names = "--seed",
            defaultValue = "0",
            paramLabel = "S",
            description = "Seed of the held-out split, shot draw and shuffling (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--holdout",
            defaultValue = "0",
            paramLabel = "FRACTION",
            description =
                    "Hold out this share of every class's boxes (never shots) and report accuracy on them each epoch"
                            + " (default: ${DEFAULT-VALUE}, none)")
    double holdout;

    @Option(
            names = "--cache",
            paramLabel = "DIR",
            description = "Feature cache folder (default: $XDG_CACHE_HOME/runa/features or ~/.cache/runa/features)")
    Path cache;

    @Option(
            names = "--views-per-call",
            defaultValue = "" + RunaOptions.DEFAULT_MAX_VIEWS_PER_CALL,
            paramLabel = "N",
            description = "Largest encoder batch (default: ${DEFAULT-VALUE})")
    int viewsPerCall;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    RunaSettingsOptions settings;

    @Override
    public Integer call() throws Exception {
        OutputChecks.file("--out", out);
        OutputChecks.folder("--cache", cache);
        try (OutputLocks locks = OutputLocks.of(out, "runa finetune")) {
            return run();
        }
    }

    private Integer run() throws Exception {
        if (settings.adapter != null) {
            throw new IllegalArgumentException(
                    "--adapter: finetune always starts from the model's pretrained projection");
        }
        if (viewsPerCall < 1) {
            throw new IllegalArgumentException("--views-per-call must be >= 1, got " + viewsPerCall);
        }
        int shotCount = FewShotSampler.parseShots(shots);
        TrainingSettings training = new TrainingSettings(lr, weightDecay, batchSize, epochs, temperature, seed);
        LabelSet labels = settings.labelSet();
        PromptSet prompts = new PromptSet(labels.promptLabels(), settings.template());
        BoxViewOptions views = settings.views();
        FewShotFineTuner.Request request = new FewShotFineTuner.Request(
                prompts, shotCount, seed, holdout, training, views, settings.lambda(), settings.fusion);
        GroundTruth truth = GroundTruth.load(
                gt,
                labels,
                GroundTruth.Options.defaults()
                        .withFormat(GroundTruth.Format.parse(gtFormat))
                        .withImages(images)
                        .withVocSplit(vocSplit)
                        .withDifficult(includeDifficult)
                        .withCrowd(includeCrowd));
        if (truth.regions().isEmpty()) {
            throw new IllegalArgumentException(gt + ": no boxes of the ID classes (" + labels.size() + " classes, "
                    + truth.skippedCategories().size() + " other categories skipped)");
        }
        Path cacheDir = cache != null ? cache : CacheFolders.features();
        PrintWriter o = spec.commandLine().getOut();
        FewShotFineTuner.Report report;
        try (LoadedClip clip = modelOptions.loader().load(modelOptions.model());
                Bars bars = new Bars(ProgressPolicy.forCommandLine(
                        modelOptions.progress, spec.commandLine().getErr()))) {
            FeatureCache featureCache = FeatureCache.open(
                    cacheDir, msg -> spec.commandLine().getErr().println("runa: warning: " + msg));
            CachedRegionFeatures features =
                    new CachedRegionFeatures(featureCache, new ImageDigests(), clip.featureIdentity(), views);
            FewShotFineTuner.Model model = new FewShotFineTuner.Model(
                    clip.modelIdentity(),
                    RunaDetector.promptEmbeddings(clip, prompts),
                    RunaDetector.pretrainedProjection(clip));
            int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
            FewShotFineTuner tuner = new FewShotFineTuner(
                    model, features, new BackboneRegionEncoder(clip.model().vision(), views, viewsPerCall, workers));
            report = tuner.run(truth.regions(), request, bars);
        }
        AdapterFile.write(out, report.adapter());
        printSummary(o, truth, labels, report);
        o.flush();
        return 0;
    }

    private void printSummary(PrintWriter o, GroundTruth truth, LabelSet labels, FewShotFineTuner.Report r) {
        o.printf(
                Locale.ROOT,
                "ground truth: %s (%s), %d ID boxes; skipped %d of other categories, %d difficult,"
                        + " %d crowd, %d empty%n",
                truth.source(),
                truth.format().name().toLowerCase(Locale.ROOT),
                truth.regions().size(),
                truth.skippedCategories().values().stream()
                        .mapToInt(Integer::intValue)
                        .sum(),
                truth.skippedDifficult(),
                truth.skippedCrowd(),
                truth.skippedEmpty());
        StringBuilder perClass = new StringBuilder();
        for (FewShotSampler.ClassCount c : r.shots().perClass()) {
            perClass.append(perClass.length() == 0 ? "" : ", ")
                    .append(labels.promptLabels().get(c.classIndex()))
                    .append(' ')
                    .append(c.taken());
            if (c.isShort()) {
                perClass.append(" (short: ").append(c.available()).append(" available)");
            }
        }
        o.printf(
                Locale.ROOT,
                "shots: %d (%s per class): %s%n",
                r.shots().regions().size(),
                FewShotSampler.formatShots(r.adapter().provenance().shots()),
                perClass);
        if (!r.shots().shortClasses().isEmpty()) {
            o.printf(
                    Locale.ROOT, "short classes: %d%n", r.shots().shortClasses().size());
        }
        o.printf(
                Locale.ROOT,
                "features: %d reused, %d computed, %.2f s%n",
                r.featuresReused(),
                r.featuresComputed(),
                r.featureSeconds());
        if (!r.skipped().isEmpty()) {
            o.printf(
                    Locale.ROOT,
                    "skipped boxes: %d (no feature could be computed)%n",
                    r.skipped().size());
            PrintWriter err = spec.commandLine().getErr();
            r.skipped().stream().limit(5).forEach(p -> err.println("runa: warning: skipped " + p));
            if (r.skipped().size() > 5) {
                err.println("runa: warning: ... and " + (r.skipped().size() - 5) + " more skipped boxes");
            }
            err.flush();
        }
        o.printf(
                Locale.ROOT,
                "training: %d epochs, loss %.4f -> %.4f, %.2f s%n",
                r.epochLosses().length,
                r.initialLoss(),
                r.finalLoss(),
                r.trainingSeconds());
        if (r.heldOut() > 0) {
            o.printf(
                    Locale.ROOT,
                    "held-out accuracy (%d boxes): %.4f -> %.4f%n",
                    r.heldOut(),
                    r.heldOutBefore(),
                    r.heldOutAfter());
        }
        o.printf(
                Locale.ROOT,
                "adapter: %s (base model %s, %d classes)%n",
                out,
                r.adapter().provenance().baseModel(),
                r.adapter().provenance().classes().size());
    }

    /** Progress bars on the error writer for the two phases; nothing when bars are off. */
    private static final class Bars implements FewShotFineTuner.Listener, AutoCloseable {
        private final ProgressPolicy policy;
        private ProgressTask features;
        private ProgressTask epochs;

        Bars(ProgressPolicy policy) {
            this.policy = policy;
        }

        @Override
        public void featuresStarted(int regions) {
            features = policy.start("features", regions, "", 0);
        }

        @Override
        public void featuresProgress(int done, int total) {
            if (features != null) {
                features.stepTo(done);
            }
        }

        @Override
        public void trainingStarted(int n) {
            if (features != null) {
                features.close();
                features = null;
            }
            epochs = policy.start("epochs", n, "", 0);
        }

        @Override
        public void epochDone(int epoch, double loss, double heldOutAccuracy) {
            if (epochs != null) {
                epochs.stepTo(epoch);
                epochs.message(
                        Double.isNaN(heldOutAccuracy)
                                ? String.format(Locale.ROOT, "loss %.4f", loss)
                                : String.format(Locale.ROOT, "loss %.4f, held-out acc %.3f", loss, heldOutAccuracy));
            }
        }

        @Override
        public void close() {
            if (features != null) {
                features.close();
            }
            if (epochs != null) {
                epochs.close();
            }
        }
    }
}
