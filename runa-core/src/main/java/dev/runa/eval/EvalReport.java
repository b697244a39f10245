package dev.runa.eval;

import dev.runa.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The benchmark report of one or more experiments: metrics of every experiment x OOD set x score,
 * written as {@code report.json}, {@code report.md}, {@code scores.csv} and PNG charts.
 *
 * <p>The metrics are computed once, when the report is made, with {@link OodMetrics#compute}; every
 * file is written atomically ({@link AtomicFile}), so an interrupted run leaves each file either
 * complete or as it was. Scores are written with {@link Double#toString}, so metrics recomputed from
 * {@code scores.csv} equal those in {@code report.json} exactly.
 */
public final class EvalReport {
    /** File names inside the output directory. */
    public static final String JSON = "report.json";

    public static final String MARKDOWN = "report.md";
    public static final String SCORES_CSV = "scores.csv";
    public static final String CHARTS_DIR = "charts";

    private final List<ExperimentResult> experiments;
    private final Map<String, Object> settings;
    private final List<MetricsRow> rows;

    private EvalReport(List<ExperimentResult> experiments, Map<String, Object> settings, List<MetricsRow> rows) {
        this.experiments = experiments;
        this.settings = settings;
        this.rows = rows;
    }

    /**
     * Computes the metrics of every experiment x OOD set x score.
     *
     * @param experiments at least one; names unique
     * @param settings    the run's settings and provenance (model, adapter, thresholds, inputs, versions...),
     *                    copied verbatim into {@code report.json} and listed in {@code report.md}; values
     *                    must be JSON-serialisable by Jackson (strings, numbers, booleans, lists, maps)
     * @throws IllegalArgumentException when there is no experiment or two share a name
     */
    public static EvalReport of(List<ExperimentResult> experiments, Map<String, ?> settings) {
        Objects.requireNonNull(experiments, "experiments");
        Objects.requireNonNull(settings, "settings");
        if (experiments.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one experiment");
        }
        Set<String> names = new HashSet<>();
        List<MetricsRow> rows = new ArrayList<>();
        for (ExperimentResult e : experiments) {
            Objects.requireNonNull(e, "experiment");
            if (!names.add(e.name())) {
                throw new IllegalArgumentException(
                        "two experiments are named '" + e.name() + "': experiment names must be unique");
            }
            for (String set : e.oodSamples().keySet()) {
                for (String key : e.scoreKeys()) {
                    rows.add(new MetricsRow(e.name(), e.idSet(), set, key, e.metrics(set, key)));
                }
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        settings.forEach((k, v) -> s.put(Objects.requireNonNull(k, "settings key"), v));
        return new EvalReport(List.copyOf(experiments), Collections.unmodifiableMap(s), List.copyOf(rows));
    }

    public List<ExperimentResult> experiments() {
        return experiments;
    }

    public Map<String, Object> settings() {
        return settings;
    }

    /** Metrics of every experiment x OOD set x score, in experiment, set, score order. */
    public List<MetricsRow> rows() {
        return rows;
    }

    /** The metrics of one experiment, set and score. */
    public OodMetrics metrics(String experiment, String oodSet, String score) {
        for (MetricsRow r : rows) {
            if (r.experiment().equals(experiment)
                    && r.oodSet().equals(oodSet)
                    && r.score().equals(score)) {
                return r.metrics();
            }
        }
        throw new IllegalArgumentException(
                "no metrics for experiment '" + experiment + "', OOD set '" + oodSet + "', score '" + score + "'");
    }

    /**
     * Writes the report without charts: {@code options.charts()} must be off. See
     * {@link #write(Path, ReportOptions, ReportChartWriter)}.
     */
    public ReportFiles write(Path dir, ReportOptions options) throws IOException {
        return write(dir, options, null);
    }

    /**
     * Writes {@code report.json}, {@code report.md}, {@code scores.csv} and (when the options ask) the
     * charts under {@code charts/} into {@code dir}, creating it; existing files of the same names are
     * replaced. Charts come first and the JSON last, so a complete {@code report.json} means a complete
     * report.
     *
     * @param charts draws the PNG charts; required when {@code options.charts()}, ignored otherwise (the
     *               library has no chart dependency: front ends bring one)
     */
    public ReportFiles write(Path dir, ReportOptions options, ReportChartWriter charts) throws IOException {
        Objects.requireNonNull(options, "options");
        if (options.charts() && charts == null) {
            throw new IllegalArgumentException("the report options ask for charts but no chart writer was given");
        }
        Files.createDirectories(dir);
        List<ChartPlan> plans = planCharts(options);
        List<Path> chartFiles = new ArrayList<>();
        if (options.charts()) {
            for (ChartPlan p : plans) {
                Path roc = dir.resolve(p.roc());
                charts.writeRoc(roc, p.experiment(), p.oodSet(), this, options);
                chartFiles.add(roc);
                for (Map.Entry<String, String> h : p.histograms().entrySet()) {
                    Path hist = dir.resolve(h.getValue());
                    charts.writeHistogram(hist, p.experiment(), p.oodSet(), h.getKey(), options);
                    chartFiles.add(hist);
                }
            }
        }
        removeStaleCharts(dir.resolve(CHARTS_DIR), chartFiles);
        Path csv = dir.resolve(SCORES_CSV);
        AtomicFile.write(csv, out -> SampleScoresCsv.write(experiments, out));
        Path md = dir.resolve(MARKDOWN);
        AtomicFile.write(md, out -> ReportMarkdown.write(this, options, options.charts() ? plans : List.of(), out));
        Path json = dir.resolve(JSON);
        AtomicFile.write(json, out -> ReportJson.write(this, options, options.charts() ? plans : List.of(), out));
        return new ReportFiles(json, md, csv, chartFiles);
    }

    /**
     * Charts of an earlier run into the same folder that this report does not have (other
     * experiments, or --no-charts now) would sit next to the new report as if they belonged to it.
     * Only PNG files directly in {@code charts/} are removed: that folder is the report's own.
     */
    private static void removeStaleCharts(Path chartsDir, List<Path> current) throws IOException {
        if (!Files.isDirectory(chartsDir)) {
            return;
        }
        java.util.Set<Path> keep = new java.util.HashSet<>();
        current.forEach(p -> keep.add(p.toAbsolutePath().normalize()));
        try (java.util.stream.Stream<Path> files = Files.list(chartsDir)) {
            for (Path f : files.toList()) {
                if (f.getFileName().toString().endsWith(".png")
                        && Files.isRegularFile(f)
                        && !keep.contains(f.toAbsolutePath().normalize())) {
                    Files.delete(f);
                }
            }
        }
    }

    /** The charts of one experiment x OOD set: paths relative to the output directory, '/'-separated. */
    record ChartPlan(ExperimentResult experiment, String oodSet, String roc, Map<String, String> histograms) {}

    private List<ChartPlan> planCharts(ReportOptions options) {
        List<ChartPlan> plans = new ArrayList<>();
        for (int ei = 0; ei < experiments.size(); ei++) {
            ExperimentResult e = experiments.get(ei);
            List<String> sets = new ArrayList<>(e.oodSamples().keySet());
            for (int si = 0; si < sets.size(); si++) {
                // Indices keep names unique even when two names reduce to the same slug.
                String stem = CHARTS_DIR + "/"
                        + String.format(
                                Locale.ROOT, "e%02d-%s_o%d-%s", ei + 1, slug(e.name()), si + 1, slug(sets.get(si)));
                List<String> keys = options.histogramAllScores() ? e.scoreKeys() : List.of(options.featuredScore(e));
                Map<String, String> hist = new LinkedHashMap<>();
                for (String key : keys) {
                    hist.put(key, stem + "_hist-" + (e.scoreKeys().indexOf(key) + 1) + "-" + slug(key) + ".png");
                }
                plans.add(new ChartPlan(e, sets.get(si), stem + "_roc.png", hist));
            }
        }
        return plans;
    }

    /** A file-name-safe form of a name: lower case letters, digits, '.', '_' and '-' only. */
    static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 40) {
            s = s.substring(0, 40);
        }
        return s.isEmpty() || s.startsWith(".") ? "x" + s : s;
    }
}
