package dev.runa.cli;

import dev.runa.batch.RunTally;
import dev.runa.charts.JFreeReportCharts;
import dev.runa.clip.LoadedClip;
import dev.runa.data.CocoDataset;
import dev.runa.data.LabelSet;
import dev.runa.eval.BenchmarkRun;
import dev.runa.eval.BenchmarkSet;
import dev.runa.eval.BoxFeatureStore;
import dev.runa.eval.EvalAdapters;
import dev.runa.eval.EvalReport;
import dev.runa.eval.ExperimentPlan;
import dev.runa.eval.ExperimentResult;
import dev.runa.eval.OodMetrics;
import dev.runa.eval.ReportFiles;
import dev.runa.eval.ReportOptions;
import dev.runa.eval.ReportSettings;
import dev.runa.eval.SampleSet;
import dev.runa.eval.ScoringExperiment;
import dev.runa.eval.VosProtocol;
import dev.runa.features.FeatureCache;
import dev.runa.features.ImageDigests;
import dev.runa.io.CacheFolders;
import dev.runa.ood.BoxFeatureExtractor;
import dev.runa.ood.Projection;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import dev.runa.ood.ScoreKind;
import dev.runa.options.ImageLimitOptions;
import dev.runa.progress.ProgressPolicy;
import dev.runa.progress.ProgressTask;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code runa eval}: the VOS benchmark protocol end to end. Parsing and printing only; the work is
 * {@link VosProtocol} (selection), {@link ExperimentPlan} (ablation rows), {@link BenchmarkRun}
 * (cached features, scoring) and {@link EvalReport} (metrics, files).
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Benchmark RUNA as the VOS protocol does: score every detector box at or above a confidence"
                    + " threshold on an ID test set and on OOD test sets, and report FPR95, AUROC, AUPR-In and AUPR-Out"
                    + " for every score, for RE / GE / RE+GE with and without each adapter (and the detector's own MSP"
                    + " and energy when the results carry logits).",
            "Writes report.json, report.md, scores.csv and charts/ into --out; prints a summary table.",
            "Features are cached (--cache), so a re-run or a resumed run does not run the encoder again."
        })
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ImageLimitOptions imageLimits;

    @Mixin
    ModelOptions modelOptions;

    @Option(
            names = "--id",
            required = true,
            paramLabel = SetSpecs.SYNTAX,
            description = "The ID test set: its COCO-style JSON (images; annotations needed for --f1-threshold),"
                    + " image folder, and the detector's COCO results JSON")
    String id;

    @Option(
            names = "--ood",
            required = true,
            paramLabel = SetSpecs.SYNTAX,
            description = "An OOD test set, same form; repeatable, one report column per set")
    List<String> ood = new ArrayList<>();

    static final class Threshold {
        @Option(
                names = "--min-confidence",
                paramLabel = "C",
                description = "Keep detector boxes with confidence >= C (the same C for ID and OOD sets)")
        Double minConfidence;

        @Option(
                names = "--f1-threshold",
                description = "Use the F1-optimal confidence on the ID set (COCO evaluation, as the VOS code)")
        boolean f1;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Threshold threshold;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Report folder (created)")
    Path out;

    @Option(
            names = "--cache",
            paramLabel = "DIR",
            description = "Feature cache folder (default: $XDG_CACHE_HOME/runa/features or ~/.cache/runa/features)")
    Path cache;

    @Option(
            names = "--workers",
            defaultValue = "2",
            paramLabel = "N",
            description = "Image decoding threads (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(
            names = "--charts",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Draw ROC curves and score histograms (default: on)")
    boolean charts;

    @Option(names = "--all-histograms", description = "A histogram for every score, not only the --score one")
    boolean allHistograms;

    @Option(names = "--exif-orientation", description = "Rotate images by their EXIF orientation (off: as Pillow)")
    boolean exifOrientation;

    @Mixin
    RunaSettingsOptions settings;

    @Override
    public Integer call() throws Exception {
        OutputChecks.folder("--out", out);
        OutputChecks.folder("--cache", cache);
        try (OutputLocks locks = OutputLocks.of(out, "runa eval")) {
            return run();
        }
    }

    private Integer run() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        String mainScore = Objects.requireNonNullElse(settings.requestedScore(), ScoreKind.MAXSIM)
                .key();
        BenchmarkSet idSpec = SetSpecs.parse("--id", id);
        List<BenchmarkSet> oodSpecs = new ArrayList<>();
        Set<String> names = new HashSet<>(List.of(idSpec.name()));
        for (String s : ood) {
            BenchmarkSet b = SetSpecs.parse("--ood", s);
            if (!names.add(b.name())) {
                throw new IllegalArgumentException(
                        "--ood '" + s + "': the set name '" + b.name() + "' is already used");
            }
            oodSpecs.add(b);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be >= 1, got " + workers);
        }
        LabelSet labels = settings.labelSet();
        PromptSet prompts = new PromptSet(labels.promptLabels(), settings.template());

        VosProtocol.LoadedSet idSet = VosProtocol.load(idSpec);
        List<VosProtocol.LoadedSet> oodSets = new ArrayList<>();
        for (BenchmarkSet b : oodSpecs) {
            oodSets.add(VosProtocol.load(b));
        }
        double confidence = threshold.f1 ? VosProtocol.f1Threshold(idSet).threshold() : threshold.minConfidence;
        err.printf(
                Locale.ROOT,
                "confidence threshold: %.6f (%s)%n",
                confidence,
                threshold.f1 ? "F1-optimal on the ID set" : "given");
        SampleSet idSamples = VosProtocol.select(idSet, confidence);
        List<SampleSet> oodSamples = new ArrayList<>();
        for (VosProtocol.LoadedSet s : oodSets) {
            oodSamples.add(VosProtocol.select(s, confidence));
        }
        for (SampleSet s : concat(idSamples, oodSamples)) {
            SampleSet.Counts c = s.counts();
            err.printf(
                    Locale.ROOT,
                    "%s: %d boxes on %d of %d images (%d below the threshold, %d on unlisted images)%n",
                    s.name(),
                    c.selected(),
                    c.imagesWithBoxes(),
                    c.imagesInSet(),
                    c.belowThreshold(),
                    c.outsideSet());
        }

        Path cacheDir = cache != null ? cache : CacheFolders.features();
        FeatureCache featureCache = FeatureCache.open(cacheDir, msg -> err.println("runa: warning: " + msg));
        Outcome result;
        try (LoadedClip clip = modelOptions.loader().load(modelOptions.model())) {
            Projection pretrained = RunaDetector.pretrainedProjection(clip);
            EvalAdapters adapters = new EvalAdapters(
                    clip.modelIdentity(),
                    labels.promptLabels(),
                    pretrained,
                    warning -> err.println("runa: warning: " + warning.spelled(CliFlags::of)));
            for (String adapterSpec : settings.adapterSpecs) {
                adapters.add(
                        RunaSettingsOptions.adapterPath(adapterSpec), RunaSettingsOptions.adapterShots(adapterSpec));
            }
            List<ScoringExperiment> experiments = ExperimentPlan.build(
                    settings.lambda(),
                    settings.fusion,
                    pretrained,
                    RunaDetector.promptEmbeddings(clip, prompts),
                    adapters.adapters());
            BoxFeatureStore store =
                    new BoxFeatureStore(featureCache, new ImageDigests(), clip.featureIdentity(), settings.views());
            BoxFeatureExtractor extractor = new BoxFeatureExtractor(
                    clip.model().vision(), settings.views(), true, true, RunaOptions.DEFAULT_MAX_VIEWS_PER_CALL);
            BenchmarkRun run = new BenchmarkRun(
                    extractor, store, imageLimits.decodeOptions(exifOrientation, new PrintWriter(err, true)), workers);
            Map<Integer, String> categoryNames = new LinkedHashMap<>();
            for (CocoDataset.Category c : idSet.dataset().categories()) {
                categoryNames.put(c.id(), c.name());
            }
            BenchmarkRun.Outcome outcome;
            try (Progress progress = new Progress(err, ProgressPolicy.forCommandLine(modelOptions.progress, err))) {
                outcome = run.run(idSamples, oodSamples, experiments, labels.size(), categoryNames, progress);
            }
            Map<String, Object> reportSettings = ReportSettings.of(
                    clip.identity(),
                    labels.name(),
                    prompts,
                    settings.lambda(),
                    settings.fusion,
                    settings.views(),
                    adapters,
                    new ReportSettings.Threshold(threshold.f1, confidence),
                    idSpec,
                    idSamples,
                    oodSpecs,
                    oodSamples,
                    outcome.stats());
            result = new Outcome(outcome, reportSettings);
        }
        EvalReport report = EvalReport.of(result.outcome().experiments(), result.settings());
        ReportFiles files = report.write(
                out,
                ReportOptions.defaults().withMainScore(mainScore).withCharts(charts, allHistograms),
                new JFreeReportCharts());
        BenchmarkRun.Stats st = result.outcome().stats();
        FeatureCache.Stats cs = featureCache.stats();
        err.printf(
                Locale.ROOT,
                "features: %d of %d images from the cache, %d images (%d boxes) encoded;"
                        + " cache %s: %d hits, %d misses, %d writes%n",
                st.imagesFromCache(),
                st.images(),
                st.imagesEncoded(),
                st.boxesEncoded(),
                cacheDir,
                cs.hits(),
                cs.misses(),
                cs.writes());
        if (st.samplesSkipped() > 0) {
            err.printf(
                    Locale.ROOT,
                    "runa: warning: %d selected boxes are no sample (%s; see skip_reasons in %s)%n",
                    st.samplesSkipped(),
                    RunTally.countsText(st.skipsByReason()),
                    files.json());
        }
        summary(spec.commandLine().getOut(), report, mainScore);
        err.println("report: " + files.markdown());
        return 0;
    }

    private record Outcome(BenchmarkRun.Outcome outcome, Map<String, Object> settings) {}

    private static List<SampleSet> concat(SampleSet first, List<SampleSet> rest) {
        List<SampleSet> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** The stdout summary: per experiment, FPR95 and AUROC (percent) of the main score on every OOD set. */
    static void summary(PrintWriter out, EvalReport report, String mainScore) {
        List<ExperimentResult> experiments = report.experiments();
        List<String> sets = new ArrayList<>(experiments.get(0).oodSamples().keySet());
        int nameWidth = Math.max(
                10, experiments.stream().mapToInt(e -> e.name().length()).max().orElse(10));
        out.printf(
                Locale.ROOT,
                "%s: FPR95 / AUROC in percent (ID %s, %d boxes)%n",
                mainScore,
                experiments.get(0).idSet(),
                experiments.get(0).idSamples().size());
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s", "experiment"));
        for (String s : sets) {
            String col = s + " (" + experiments.get(0).oodSamples().get(s).size() + ")";
            head.append(String.format(Locale.ROOT, "  %17s", col.length() > 17 ? col.substring(0, 17) : col));
        }
        out.println(head);
        StringBuilder sub = new StringBuilder(" ".repeat(nameWidth));
        for (int i = 0; i < sets.size(); i++) {
            sub.append(String.format(Locale.ROOT, "  %8s %8s", "FPR95", "AUROC"));
        }
        out.println(sub);
        for (ExperimentResult e : experiments) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s", e.name()));
            for (String s : sets) {
                if (e.scoreKeys().contains(mainScore)) {
                    OodMetrics m = report.metrics(e.name(), s, mainScore);
                    row.append(String.format(Locale.ROOT, "  %8.2f %8.2f", 100 * m.fpr95(), 100 * m.auroc()));
                } else {
                    row.append(String.format(Locale.ROOT, "  %8s %8s", "-", "-"));
                }
            }
            out.println(row);
        }
        out.flush();
    }

    /** Images done, with ETA, on stderr; the bar starts after the cached images so the ETA counts real work. */
    private static final class Progress implements BenchmarkRun.Listener, AutoCloseable {
        private final PrintWriter err;
        private final ProgressPolicy policy;
        private ProgressTask bar;

        Progress(PrintWriter err, ProgressPolicy policy) {
            this.err = err;
            this.policy = policy;
        }

        @Override
        public void started(int images, int cached) {
            err.printf(Locale.ROOT, "%d images, %d answered by the feature cache%n", images, cached);
            bar = policy.start("eval", images, " img", cached);
        }

        @Override
        public void imageDone(String set, String imageId, boolean fromCache) {
            if (!fromCache && bar != null) {
                bar.stepBy(1);
            }
        }

        @Override
        public void warning(String message) {
            err.println("runa: warning: " + message);
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
