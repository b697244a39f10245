package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.adapter.Adapter;
import dev.runa.adapter.AdapterFile;
import dev.runa.adapter.AdapterProvenance;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.data.CocoDataset;
import dev.runa.data.CocoResults;
import dev.runa.eval.F1OptimalThreshold;
import dev.runa.eval.OodMetrics;
import dev.runa.eval.ShapeBenchmark;
import dev.runa.ood.FusionMode;
import dev.runa.ood.Projection;
import dev.runa.ood.RunaDetector;
import dev.runa.testing.TinyCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runa eval} end to end on a generated shapes benchmark with a tiny random CLIP: the report's
 * numbers against metrics recomputed from its own scores.csv, the threshold, the ablation rows, the
 * cache (no encoder work on a re-run), and a resumed run after losing part of the cache.
 */
class EvalCommandTest {
    @TempDir
    static Path tmp;

    static Path model;
    static Path adapter;
    static ShapeBenchmark.GeneratedSet id;
    static ShapeBenchmark.GeneratedSet tri;
    static ShapeBenchmark.GeneratedSet cross;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void generate() throws Exception {
        model = TinyCheckpoints.write(tmp.resolve("model"), 7);
        id = ShapeBenchmark.id(tmp.resolve("data"), 6, 1);
        tri = ShapeBenchmark.ood(tmp.resolve("data"), "triangle", 4, 2);
        cross = ShapeBenchmark.ood(tmp.resolve("data"), "cross", 3, 3);
        HubSettings offline = HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1"), Path.of("/nonexistent"));
        try (LoadedClip clip =
                new ClipLoader(new HubClient(offline), EncoderOptions.defaults()).load(model.toString())) {
            Projection p = RunaDetector.pretrainedProjection(clip);
            float[] w = p.weight();
            Random r = new Random(5);
            for (int i = 0; i < w.length; i++) {
                w[i] += (float) (0.05 * r.nextGaussian());
            }
            adapter = tmp.resolve("adapter-5shot.safetensors");
            AdapterFile.write(
                    adapter,
                    new Adapter(
                            new Projection(w, p.outDim(), p.inDim()),
                            new AdapterProvenance(
                                    clip.identity(),
                                    "",
                                    ShapeBenchmark.CLASSES,
                                    "a photo of a {label}",
                                    0.5,
                                    FusionMode.EARLY,
                                    "x",
                                    5,
                                    0,
                                    1,
                                    5e-6,
                                    1.0,
                                    Instant.EPOCH)));
        }
    }

    static String spec(ShapeBenchmark.GeneratedSet g) {
        return g.set().name() + ":gt=" + g.set().json() + ",images=" + g.set().images() + ",detections="
                + g.set().detections();
    }

    static CliRunner.Result eval(Path out, Path cache, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "eval",
                "--model",
                model.toString(),
                "--classes",
                "square,circle",
                "--id",
                spec(id),
                "--ood",
                spec(tri),
                "--ood",
                spec(cross),
                "--adapter",
                adapter.toString(),
                "--cache",
                cache.toString(),
                "--out",
                out.toString(),
                "--workers",
                "2"));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    /** scores.csv rows: experiment -> set -> role -> column values. */
    record Csv(List<String> header, List<String[]> rows) {
        static Csv read(Path file) throws Exception {
            List<String> lines = Files.readAllLines(file);
            List<String[]> rows = new ArrayList<>();
            for (String l : lines.subList(1, lines.size())) {
                assertFalse(l.contains("\""), "no quoting needed in this test's data: " + l);
                rows.add(l.split(",", -1));
            }
            return new Csv(List.of(lines.get(0).split(",")), rows);
        }

        double[] column(String experiment, String set, String key) {
            int c = header.indexOf(key);
            return rows.stream()
                    .filter(r -> r[0].equals(experiment) && r[1].equals(set))
                    .mapToDouble(r -> Double.parseDouble(r[c]))
                    .toArray();
        }
    }

    @Test
    void reportNumbersThresholdAblationsCacheAndResume() throws Exception {
        Path cache = tmp.resolve("cache");
        CliRunner.Result first = eval(tmp.resolve("out1"), cache, "--min-confidence", "0.5");
        assertEquals(0, first.exitCode(), first.err());
        Path out1 = tmp.resolve("out1");
        for (String f : List.of("report.json", "report.md", "scores.csv")) {
            assertTrue(Files.size(out1.resolve(f)) > 0, f);
        }
        try (Stream<Path> charts = Files.list(out1.resolve("charts"))) {
            // 6 experiments x 2 OOD sets, a ROC and a maxsim histogram each.
            assertEquals(24, charts.filter(p -> p.toString().endsWith(".png")).count());
        }
        JsonNode report = JSON.readTree(out1.resolve("report.json").toFile());

        // Ablation rows: RE / GE / RE+GE, each without and with the adapter; shots on the RE+GE rows.
        List<String> names = new ArrayList<>();
        report.get("experiments").forEach(e -> names.add(e.get("name").asText()));
        assertEquals(
                List.of("RE", "RE + adapter 5-shot", "GE", "GE + adapter 5-shot", "RE+GE", "RE+GE + adapter 5-shot"),
                names);
        JsonNode fused = report.get("experiments").get(5).get("ablation");
        assertTrue(fused.get("regional").asBoolean()
                && fused.get("global").asBoolean()
                && fused.get("adapter").asBoolean());
        assertEquals(5, fused.get("shots").asInt());
        assertEquals(
                0, report.get("experiments").get(4).get("ablation").get("shots").asInt());
        assertFalse(
                report.get("experiments").get(0).get("ablation").get("global").asBoolean());
        assertFalse(report.get("experiments").get(0).get("ablation").has("shots"));
        String md = Files.readString(out1.resolve("report.md"));
        assertTrue(md.contains("## Table 2") && md.contains("## Shots"), md);

        // Every CLIP score and both detector baselines (all boxes carry logits).
        List<String> keys = new ArrayList<>();
        report.get("experiments").get(0).get("score_keys").forEach(k -> keys.add(k.asText()));
        assertEquals(List.of("maxsim", "mcm_t1", "mcm_t0.01", "sum", "energy_t0.01", "det_msp", "det_energy"), keys);

        // The threshold filters: exactly the boxes >= 0.5 on listed images, false positive included.
        Csv csv = Csv.read(out1.resolve("scores.csv"));
        int conf = csv.header().indexOf("confidence");
        assertTrue(csv.rows().stream().allMatch(r -> Double.parseDouble(r[conf]) >= 0.5));
        assertEquals(id.aboveHalf(), csv.column("RE", "shapes", "maxsim").length);
        assertEquals(tri.aboveHalf(), csv.column("RE", "triangle", "maxsim").length);
        assertEquals(cross.aboveHalf(), csv.column("RE", "cross", "maxsim").length);
        JsonNode idInfo = report.get("settings").get("id_set");
        assertEquals(id.aboveHalf(), idInfo.get("selected").asInt());
        assertEquals(6, idInfo.get("below_threshold").asInt());
        assertEquals(1, idInfo.get("detections_on_unlisted_images").asInt());

        // Every number in report.json equals OodMetrics recomputed from scores.csv (exactly: the CSV and
        // the JSON both carry doubles in round-trip form).
        int checked = 0;
        for (JsonNode r : report.get("results")) {
            String e = r.get("experiment").asText();
            String key = r.get("score").asText();
            OodMetrics m = OodMetrics.compute(
                    csv.column(e, "shapes", key), csv.column(e, r.get("ood_set").asText(), key));
            assertEquals(m.nId(), r.get("n_id").asInt());
            assertEquals(m.nOod(), r.get("n_ood").asInt());
            assertEquals(m.auroc(), r.get("auroc").asDouble(), 0.0, e + " " + key);
            assertEquals(m.auprIn(), r.get("aupr_in").asDouble(), 0.0);
            assertEquals(m.auprOut(), r.get("aupr_out").asDouble(), 0.0);
            assertEquals(m.fpr95(), r.get("fpr95").asDouble(), 0.0);
            assertEquals(m.fpr95Strict(), r.get("fpr95_strict").asDouble(), 0.0);
            checked++;
        }
        assertEquals(6 * 2 * 7, checked);
        // The stdout summary: one row per experiment with the maxsim FPR95 / AUROC of each OOD set.
        OodMetrics reGe =
                OodMetrics.compute(csv.column("RE+GE", "shapes", "maxsim"), csv.column("RE+GE", "cross", "maxsim"));
        assertTrue(
                first.out()
                        .contains(String.format(
                                java.util.Locale.ROOT, "%8.2f %8.2f", 100 * reGe.fpr95(), 100 * reGe.auroc())),
                first.out());
        assertEquals(1 + 2 + 6, first.out().strip().split("\n").length, first.out());
        assertTrue(encoded(first.err())[0] > 0, first.err());

        // A second run with the same cache does no encoder work and reports the same numbers.
        CliRunner.Result second = eval(tmp.resolve("out2"), cache, "--min-confidence", "0.5", "--no-charts");
        assertEquals(0, second.exitCode(), second.err());
        assertEquals(
                List.of(0, 0, 0),
                List.of(encoded(second.err())[0], encoded(second.err())[1], encoded(second.err())[2]),
                second.err());
        JsonNode report2 = JSON.readTree(tmp.resolve("out2/report.json").toFile());
        ((ObjectNode) report).remove("charts");
        ((ObjectNode) report2).remove("charts");
        assertEquals(report, report2);
        assertEquals(Files.readString(out1.resolve("scores.csv")), Files.readString(tmp.resolve("out2/scores.csv")));

        // Lose part of the cache, as a run killed mid-way would leave it: the resumed run encodes only
        // the images it lacks, and its report.json is byte-identical.
        List<Path> entries;
        try (Stream<Path> s = Files.walk(cache)) {
            entries = s.filter(p -> p.toString().endsWith(".feat")).sorted().toList();
        }
        for (int i = 0; i < entries.size(); i += 3) {
            Files.delete(entries.get(i));
        }
        CliRunner.Result resumed = eval(tmp.resolve("out3"), cache, "--min-confidence", "0.5", "--no-charts");
        assertEquals(0, resumed.exitCode(), resumed.err());
        int[] enc = encoded(resumed.err());
        assertTrue(enc[0] > 0 && enc[0] < 13, "some but not all of the 13 images re-encoded: " + resumed.err());
        assertEquals(
                Files.readString(tmp.resolve("out2/report.json")), Files.readString(tmp.resolve("out3/report.json")));
        assertEquals(
                Files.readString(tmp.resolve("out2/scores.csv")), Files.readString(tmp.resolve("out3/scores.csv")));
    }

    /** {images encoded, boxes encoded, cache writes} from the run's stderr summary line. */
    static int[] encoded(String err) {
        Matcher m = Pattern.compile("(\\d+) images \\((\\d+) boxes\\) encoded;.* (\\d+) writes")
                .matcher(err);
        assertTrue(m.find(), err);
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    }

    @Test
    void f1ThresholdIsComputedOnTheIdSetAndAppliedToAll() throws Exception {
        Path out = tmp.resolve("out-f1");
        CliRunner.Result r = eval(out, tmp.resolve("cache-f1"), "--f1-threshold", "--no-charts");
        assertEquals(0, r.exitCode(), r.err());
        CocoDataset gt = CocoDataset.read(id.set().json());
        Map<String, Boolean> listed = new HashMap<>();
        gt.images().forEach(i -> listed.put(i.id(), true));
        double want = F1OptimalThreshold.compute(
                        gt,
                        CocoResults.read(id.set().detections()).stream()
                                .filter(d -> listed.containsKey(d.imageId()))
                                .toList())
                .threshold();
        JsonNode t = JSON.readTree(out.resolve("report.json").toFile())
                .get("settings")
                .get("confidence_threshold");
        assertEquals("f1_optimal_on_id", t.get("source").asText());
        assertEquals(want, t.get("value").asDouble(), 0.0);
        Csv csv = Csv.read(out.resolve("scores.csv"));
        int conf = csv.header().indexOf("confidence");
        assertTrue(csv.rows().stream().allMatch(row -> Double.parseDouble(row[conf]) >= want));
        assertTrue(want > ShapeBenchmark.LOW, "the low boxes fall below the F1-optimal threshold: " + want);
    }

    @Test
    void badInputsGetOneLineNamingTheProblem() {
        CliRunner.Result noName = CliRunner.run(
                "eval",
                "--id",
                "gt=a.json",
                "--ood",
                "x:gt=a,images=b,detections=c",
                "--min-confidence",
                "0.5",
                "--out",
                tmp.resolve("o").toString());
        assertEquals(2, noName.exitCode());
        assertTrue(noName.err().contains("--id 'gt=a.json'") && noName.err().contains("NAME:gt=JSON"), noName.err());
        CliRunner.Result missingKey = CliRunner.run(
                "eval",
                "--id",
                "a:gt=a.json,images=b",
                "--ood",
                "x:gt=a,images=b,detections=c",
                "--min-confidence",
                "0.5",
                "--out",
                tmp.resolve("o").toString());
        assertTrue(missingKey.err().contains("'detections=' is missing"), missingKey.err());
        CliRunner.Result both = CliRunner.run(
                "eval",
                "--id",
                spec(id),
                "--ood",
                spec(tri),
                "--min-confidence",
                "0.5",
                "--f1-threshold",
                "--out",
                tmp.resolve("o").toString());
        assertNotEquals(0, both.exitCode());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
    }
}
