package dev.runa.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.data.Box;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalReportTest {
    private static final List<String> KEYS =
            List.of("maxsim", "mcm_t1", "mcm_t0.01", "sum", "energy_t0.01", "det_msp", "det_energy");
    private static final String WEIRD_NAME = "RE, \"quoted\" | piped";

    @TempDir
    Path dir;

    /** Scores with ID shifted up by {@code separation}; rounded to 2 decimals so that ties occur. */
    private static List<ScoredSample> samples(Random rnd, int n, double separation, String prefix) {
        List<ScoredSample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Double> scores = new LinkedHashMap<>();
            for (int k = 0; k < KEYS.size(); k++) {
                double v = rnd.nextGaussian() + separation * (k + 1) / KEYS.size();
                scores.put(KEYS.get(k), Math.round(v * 100) / 100.0);
            }
            double x = rnd.nextDouble() * 100;
            out.add(new ScoredSample(
                    prefix + (i % 7),
                    new Box(x, x / 2, x + 10.25, x + 33),
                    1 + i % 3,
                    i % 2 == 0 ? "potted plant" : "dining table",
                    0.5 + rnd.nextDouble() / 2,
                    scores));
        }
        return out;
    }

    private static ExperimentResult experiment(Random rnd, String name, Optional<Ablation> ablation, double sep) {
        Map<String, List<ScoredSample>> ood = new LinkedHashMap<>();
        ood.put("coco", samples(rnd, 37, 0, "coco_"));
        ood.put("openimages", samples(rnd, 23, 0, "oi_"));
        return new ExperimentResult(name, ablation, "voc", samples(rnd, 61, sep, "voc_"), ood);
    }

    private static List<ExperimentResult> experiments() {
        Random rnd = new Random(2024);
        return List.of(
                experiment(rnd, "RE+GE + adapter", Optional.of(new Ablation(true, true, true, OptionalInt.of(10))), 3),
                experiment(rnd, "RE only", Optional.of(Ablation.ofLambda(1.0, false, OptionalInt.of(0))), 1.5),
                experiment(rnd, "shots=5", Optional.of(new Ablation(true, true, true, OptionalInt.of(5))), 2),
                experiment(rnd, WEIRD_NAME, Optional.empty(), 1));
    }

    private static Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", "openai/clip-vit-base-patch16");
        s.put("confidence_threshold", 0.5124);
        s.put("inputs", List.of("voc.json", "coco.json"));
        return s;
    }

    @Test
    void reportNumbersEqualMetricsRecomputedFromTheScoresCsv() throws IOException {
        List<ExperimentResult> exps = experiments();
        // Charts are checked separately; drawing them here would only slow the test.
        ReportFiles files = EvalReport.of(exps, settings())
                .write(dir, ReportOptions.defaults().withCharts(false, false));
        JsonNode json = new ObjectMapper().readTree(files.json().toFile());
        assertEquals("runa-eval-report/1", json.get("format").asText());
        assertEquals(0.5124, json.get("settings").get("confidence_threshold").asDouble(), 0.0);
        assertEquals("coco.json", json.get("settings").get("inputs").get(1).asText());

        // Read scores.csv back with an independent RFC 4180 parser and regroup by experiment/set/score.
        List<List<String>> rows = parseCsv(Files.readString(files.scoresCsv(), StandardCharsets.UTF_8));
        List<String> header = rows.get(0);
        assertEquals(
                List.of(
                        "experiment",
                        "set",
                        "role",
                        "image_id",
                        "x1",
                        "y1",
                        "x2",
                        "y2",
                        "category_id",
                        "label",
                        "confidence"),
                header.subList(0, 11));
        assertEquals(KEYS, header.subList(11, header.size()));
        Map<String, Map<String, List<double[]>>> byExpSet = new HashMap<>(); // exp -> "ID"/ood set -> rows
        for (List<String> r : rows.subList(1, rows.size())) {
            assertEquals(header.size(), r.size(), "cells in row " + r);
            String set = r.get(2).equals("ID") ? "ID" : r.get(1);
            double[] scores = new double[KEYS.size()];
            for (int k = 0; k < KEYS.size(); k++) {
                scores[k] = Double.parseDouble(r.get(11 + k));
            }
            byExpSet.computeIfAbsent(r.get(0), e -> new HashMap<>())
                    .computeIfAbsent(set, s -> new ArrayList<>())
                    .add(scores);
        }
        assertEquals(4, byExpSet.size());
        assertTrue(byExpSet.containsKey(WEIRD_NAME), "quoted experiment name survives: " + byExpSet.keySet());

        JsonNode results = json.get("results");
        assertEquals(4 * 2 * KEYS.size(), results.size());
        for (JsonNode r : results) {
            Map<String, List<double[]>> sets = byExpSet.get(r.get("experiment").asText());
            int k = KEYS.indexOf(r.get("score").asText());
            OodMetrics expected = OodMetrics.compute(
                    column(sets.get("ID"), k), column(sets.get(r.get("ood_set").asText()), k));
            // Exact: the CSV and the JSON both carry shortest round-trip decimals of the same doubles.
            assertEquals(expected.nId(), r.get("n_id").asInt());
            assertEquals(expected.nOod(), r.get("n_ood").asInt());
            assertEquals(expected.auroc(), r.get("auroc").asDouble(), 0.0);
            assertEquals(expected.auprIn(), r.get("aupr_in").asDouble(), 0.0);
            assertEquals(expected.auprOut(), r.get("aupr_out").asDouble(), 0.0);
            assertEquals(expected.fpr95(), r.get("fpr95").asDouble(), 0.0);
            assertEquals(expected.fpr95Strict(), r.get("fpr95_strict").asDouble(), 0.0);
            assertEquals("voc", r.get("id_set").asText());
        }
        JsonNode first = json.get("experiments").get(0);
        assertEquals(61, first.get("n_id").asInt());
        assertEquals(10, first.get("ablation").get("shots").asInt());
        assertFalse(json.get("experiments").get(3).has("ablation"));
        try (Stream<Path> leftovers = Files.walk(dir)) {
            assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
    }

    private static double[] column(List<double[]> rows, int k) {
        return rows.stream().mapToDouble(r -> r[k]).toArray();
    }

    @Test
    void markdownHasPaperLayoutTables() throws IOException {
        EvalReport report = EvalReport.of(experiments(), settings());
        String md = Files.readString(report.write(dir, ReportOptions.defaults().withCharts(false, false))
                .markdown());
        OodMetrics m = report.metrics("RE+GE + adapter", "coco", "maxsim");
        String fpr = String.format(java.util.Locale.ROOT, "%.2f", 100 * m.fpr95());
        String auroc = String.format(java.util.Locale.ROOT, "%.2f", 100 * m.auroc());
        assertTrue(
                md.contains(
                        "### RE+GE + adapter (ID: voc, 61 ID boxes)\n\n| OOD set | Score | FPR95 \u2193 | AUROC \u2191 |"),
                md);
        assertTrue(md.contains("| coco | maxsim | " + fpr + " | " + auroc + " |\n"), md);
        assertTrue(md.contains("| openimages | det_energy | "), md);
        // Table 2: flags and the main score's numbers per OOD set.
        assertTrue(md.contains("## Table 2: ablation (ID: voc, score: maxsim)"), md);
        assertTrue(
                md.contains(
                        "| Experiment | RE | GE | Adapter | coco FPR95 \u2193 | coco AUROC \u2191 | openimages FPR95"),
                md);
        assertTrue(md.contains("| RE+GE + adapter | \u2713 | \u2713 | \u2713 | " + fpr + " | " + auroc + " |"), md);
        assertTrue(md.contains("| RE only | \u2713 |  |  | "), md);
        // Shots table sorted by shots: 0, 5, 10.
        int s0 = md.indexOf("| 0 | RE only |");
        int s5 = md.indexOf("| 5 | shots=5 |");
        int s10 = md.indexOf("| 10 | RE+GE + adapter |");
        assertTrue(s0 > 0 && s0 < s5 && s5 < s10, md);
        // The experiment without ablation is in Table 1 only, with '|' escaped.
        assertTrue(md.contains("### RE, \"quoted\" \\| piped (ID: voc"), md);
        assertFalse(md.contains("| RE, \"quoted\" \\| piped | \u2713"), md);
        assertTrue(md.contains("| confidence_threshold | 0.5124 |"), md);
        assertTrue(md.contains("| inputs | [\"voc.json\",\"coco.json\"] |"), md);
        assertFalse(md.contains("## Charts"), md);
    }

    @Test
    void perfectSeparationReadsAsHundredAndZero() throws IOException {
        Map<String, List<ScoredSample>> ood = Map.of("ood", List.of(sample("o1", 0.1), sample("o2", 0.2)));
        ExperimentResult e =
                new ExperimentResult("zero-shot", "bdd", List.of(sample("i1", 0.8), sample("i2", 0.9)), ood);
        String md = Files.readString(EvalReport.of(List.of(e), Map.of())
                .write(dir, ReportOptions.defaults().withCharts(false, false))
                .markdown());
        assertTrue(md.contains("| ood | maxsim | 0.00 | 100.00 |\n"), md);
        assertFalse(md.contains("## Settings"), md);
        assertFalse(md.contains("## Table 2"), md);
        assertFalse(Files.exists(dir.resolve("charts")));
    }

    private static ScoredSample sample(String image, double maxsim) {
        return new ScoredSample(image, new Box(0, 0, 5, 5), 1, "car", 0.9, Map.of("maxsim", maxsim));
    }

    /** Writes each planned chart as a one-line file naming what it shows (PNG drawing lives in the CLI). */
    private static final class RecordingCharts implements ReportChartWriter {
        final List<String> calls = new ArrayList<>();

        @Override
        public void writeRoc(
                Path file, ExperimentResult experiment, String oodSet, EvalReport report, ReportOptions options)
                throws IOException {
            record(file, "roc " + experiment.name() + " " + oodSet);
        }

        @Override
        public void writeHistogram(
                Path file, ExperimentResult experiment, String oodSet, String key, ReportOptions options)
                throws IOException {
            record(file, "hist " + experiment.name() + " " + oodSet + " " + key);
        }

        private void record(Path file, String what) throws IOException {
            calls.add(what);
            Files.createDirectories(file.getParent());
            Files.writeString(file, what);
        }
    }

    @Test
    void chartsArePlannedNamedAndListed() throws IOException {
        RecordingCharts drawn = new RecordingCharts();
        ReportFiles files =
                EvalReport.of(experiments().subList(0, 2), settings()).write(dir, ReportOptions.defaults(), drawn);
        // One ROC and one maxsim histogram per experiment x OOD set.
        assertEquals(2 * 2 * 2, files.charts().size());
        assertEquals(files.charts().size(), drawn.calls.size());
        assertEquals("roc RE+GE + adapter coco", drawn.calls.get(0));
        assertEquals("hist RE+GE + adapter coco maxsim", drawn.calls.get(1));
        for (Path chart : files.charts()) {
            assertTrue(Files.exists(chart), chart + " was drawn");
        }
        String md = Files.readString(files.markdown());
        assertTrue(md.contains("![ROC](charts/e01-re-ge-adapter_o1-coco_roc.png)"), md);
        assertTrue(md.contains("![maxsim histogram](charts/e01-re-ge-adapter_o1-coco_hist-1-maxsim.png)"), md);
        JsonNode chart =
                new ObjectMapper().readTree(files.json().toFile()).get("charts").get(0);
        assertEquals(
                "charts/e01-re-ge-adapter_o1-coco_roc.png", chart.get("roc").asText());
        assertTrue(
                Files.exists(dir.resolve(chart.get("histograms").get("maxsim").asText())));
        // With every score histogrammed: one ROC plus one histogram per score and OOD set.
        Map<String, Double> two = new LinkedHashMap<>();
        two.put("maxsim", 0.3);
        two.put("mcm_t0.01", 0.7);
        ScoredSample a = new ScoredSample("i", new Box(0, 0, 1, 1), 1, "car", 0.9, two);
        ScoredSample b =
                new ScoredSample("o", new Box(0, 0, 1, 1), 1, "car", 0.9, Map.of("maxsim", 0.1, "mcm_t0.01", 0.2));
        Path all = dir.resolve("all");
        ReportFiles everyScore = EvalReport.of(
                        List.of(new ExperimentResult("Two scores", "voc", List.of(a, b), Map.of("coco", List.of(b)))),
                        Map.of())
                .write(all, ReportOptions.defaults().withCharts(true, true), new RecordingCharts());
        assertEquals(1 + 2, everyScore.charts().size());
        assertTrue(Files.exists(all.resolve("charts/e01-two-scores_o1-coco_hist-2-mcm_t0.01.png")));
    }

    @Test
    void aRerunIntoTheSameFolderLeavesNoStaleCharts() throws IOException {
        // Issue 9, item 16: charts of experiments the new report lacks must not stay behind.
        ReportFiles first = EvalReport.of(experiments().subList(0, 2), settings())
                .write(dir, ReportOptions.defaults(), new RecordingCharts());
        assertEquals(8, first.charts().size());
        Path notes = Files.writeString(dir.resolve("charts/notes.txt"), "mine");
        ReportFiles second = EvalReport.of(experiments().subList(0, 1), settings())
                .write(dir, ReportOptions.defaults(), new RecordingCharts());
        try (var left = Files.list(dir.resolve("charts"))) {
            assertEquals(
                    new java.util.HashSet<>(second.charts()),
                    new java.util.HashSet<>(
                            left.filter(f -> f.toString().endsWith(".png")).toList()));
        }
        assertTrue(Files.exists(notes), "only the report's PNGs are removed");
        EvalReport.of(experiments().subList(0, 1), settings())
                .write(dir, ReportOptions.defaults().withCharts(false, false));
        try (var left = Files.list(dir.resolve("charts"))) {
            assertEquals(List.of(notes), left.toList());
        }
    }

    @Test
    void chartsWithoutAWriterAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> EvalReport.of(experiments().subList(0, 1), settings()).write(dir, ReportOptions.defaults()));
    }

    @Test
    void emptyOrInconsistentInputIsAClearError() {
        List<ScoredSample> id = List.of(sample("i1", 0.8));
        IllegalArgumentException empty = assertThrows(
                IllegalArgumentException.class,
                () -> new ExperimentResult("RE only", "voc", id, Map.of("coco", List.of())));
        assertEquals(
                "experiment 'RE only': OOD set 'coco' has no samples (no detector box reached the confidence "
                        + "threshold?)",
                empty.getMessage());
        IllegalArgumentException noId = assertThrows(
                IllegalArgumentException.class,
                () -> new ExperimentResult("RE only", "voc", List.of(), Map.of("coco", id)));
        assertTrue(
                noId.getMessage().startsWith("experiment 'RE only': ID set 'voc' has no samples"), noId.getMessage());
        IllegalArgumentException noSets = assertThrows(
                IllegalArgumentException.class, () -> new ExperimentResult("RE only", "voc", id, Map.of()));
        assertEquals("experiment 'RE only': no OOD set given", noSets.getMessage());

        ScoredSample other =
                new ScoredSample("o1", new Box(0, 0, 1, 1), 1, "car", 0.9, Map.of("maxsim", 0.1, "det_msp", 0.5));
        IllegalArgumentException keys = assertThrows(
                IllegalArgumentException.class,
                () -> new ExperimentResult("x", "voc", id, Map.of("coco", List.of(other))));
        assertTrue(keys.getMessage().contains("OOD set 'coco' sample #0 (image o1) has scores"), keys.getMessage());

        ExperimentResult ok = new ExperimentResult("x", "voc", id, Map.of("coco", id));
        IllegalArgumentException dup =
                assertThrows(IllegalArgumentException.class, () -> EvalReport.of(List.of(ok, ok), Map.of()));
        assertTrue(dup.getMessage().contains("two experiments are named 'x'"), dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EvalReport.of(List.of(), Map.of()));

        IllegalArgumentException nan = assertThrows(
                IllegalArgumentException.class,
                () -> new ScoredSample("img7", new Box(0, 0, 1, 1), 1, "car", 0.9, Map.of("maxsim", Double.NaN)));
        assertEquals("sample on image img7: score 'maxsim' is NaN, must be a finite number", nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Ablation(false, false, true, OptionalInt.empty()));
    }

    @Test
    void ablationFromLambda() {
        assertEquals(
                new Ablation(true, false, false, OptionalInt.empty()),
                Ablation.ofLambda(1.0, false, OptionalInt.empty()));
        assertEquals(
                new Ablation(false, true, true, OptionalInt.of(1)), Ablation.ofLambda(0.0, true, OptionalInt.of(1)));
        assertEquals(
                new Ablation(true, true, false, OptionalInt.empty()),
                Ablation.ofLambda(0.5, false, OptionalInt.empty()));
    }

    /** Minimal RFC 4180 reader: quoted cells with doubled quotes, '\n' row ends. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                cell.append(c);
            }
        }
        assertTrue(row.isEmpty() && cell.length() == 0, "file ends with a newline");
        return rows;
    }
}
