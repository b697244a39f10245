package dev.runa.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.batch.ScoringJobs;
import dev.runa.ood.Calibration;
import dev.runa.ood.ScoreKind;
import dev.runa.output.JsonLinesFormat;
import dev.runa.spark.cli.RunaSparkMain;
import dev.runa.spark.table.DetectionTables;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code spark-score} on a real local Spark session against what {@code runa score} writes for the
 * same inputs ({@link InProcessReference}).
 *
 * <p>Tolerance: scores agree within 1e-6 relative to {@code max(|reference|, 1)}. Both sides run
 * the same fp32 graph on the same pixels; what differs is which views share an encoder call (Spark
 * batches the images of a partition, {@code runa score} consecutive images of the list) and the
 * number of ONNX Runtime threads, which moves float sums in the last bits (~1e-7 on cosine
 * similarities, whose scale is 1; {@code sum} adds up to 3 of them, the MCM scores are
 * probabilities).
 */
class SparkScoreTest {
    static SparkFixture f;
    static SparkSession spark;
    static final double TOL = 1e-6;

    @BeforeAll
    static void setUp() {
        f = SparkFixture.get();
        spark = SharedSpark.session();
    }

    record Run(int code, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = RunaSparkMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static String[] scoreArgs(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of(
                "spark-score",
                "--images",
                f.images.toString(),
                "--detections",
                f.detections.toString(),
                "--image-list",
                f.imageList.toString(),
                "--min-confidence",
                "0.1",
                "--model",
                f.model.toString(),
                "--classes",
                SparkFixture.CLASSES,
                "--out",
                out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** Every row of the JSON part files in {@code dir}, read without Spark. */
    static List<JsonNode> jsonRows(Path dir) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("part-"))
                    .sorted()
                    .toList()) {
                for (String line : Files.readAllLines(p)) {
                    if (!line.isBlank()) {
                        rows.add(SparkFixture.JSON.readTree(line));
                    }
                }
            }
        }
        return rows;
    }

    static Map<String, JsonNode> byPosition(List<JsonNode> rows) {
        Map<String, JsonNode> m = new TreeMap<>();
        for (JsonNode r : rows) {
            String key = r.get("image_index").asInt() + "/" + r.get("box_index").asInt();
            assertFalse(m.containsKey(key), "duplicate row " + key);
            m.put(key, r);
        }
        return m;
    }

    /** Asserts that the rows are {@code runa score}'s rows (scores within tolerance, everything else equal). */
    static void assertSameRows(List<JsonNode> expected, List<JsonNode> actual) {
        Map<String, JsonNode> e = byPosition(expected);
        Map<String, JsonNode> a = byPosition(actual);
        assertEquals(e.keySet(), a.keySet());
        for (String k : e.keySet()) {
            JsonNode x = e.get(k);
            JsonNode y = a.get(k);
            for (Iterator<String> it = x.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                assertTrue(y.has(field), k + ": spark row lacks field " + field + ": " + y);
                if (field.equals("scores") && !x.get(field).isNull()) {
                    for (ScoreKind kind : ScoreKind.values()) {
                        double ref = x.get(field).get(kind.key()).asDouble();
                        double got = y.get(field).get(kind.key()).asDouble();
                        assertEquals(ref, got, TOL * Math.max(Math.abs(ref), 1), k + " " + kind.key());
                    }
                } else if (x.get(field).isNumber()) {
                    assertEquals(x.get(field).asDouble(), y.get(field).asDouble(), 0.0, k + " " + field);
                } else {
                    assertEquals(x.get(field), y.get(field), k + " " + field);
                }
            }
        }
    }

    @Test
    void sparkScoreRowsEqualRunaScoreRows() throws Exception {
        Path out = f.tempDir("score").resolve("out");
        Run r = cli(scoreArgs(out, "--format", "json"));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("_SUCCESS")), "written through Spark's committer");
        List<JsonNode> rows = jsonRows(out);
        List<JsonNode> expected = InProcessReference.scoreRows(f, 0.1, 0.5, null);
        assertEquals(expected.size(), rows.size());
        assertSameRows(expected, rows);
        // The bad inputs are rows with errors, the others are scored.
        long errors = rows.stream().filter(n -> !n.get("error").isNull()).count();
        assertEquals(4, errors, "degenerate box, box outside its image, corrupt image, missing image");
        assertTrue(rows.stream()
                .anyMatch(n -> n.get("error").asText().contains("d.png")
                        && n.get("scores").isNull()));
        assertTrue(rows.stream().anyMatch(n -> n.get("error").asText().contains("missing.png: file not found")));
        assertTrue(
                r.err().contains((rows.size() - errors) + " boxes scored, " + errors + " could not be scored"),
                r.err());
    }

    @Test
    void parquetOutputHoldsTheSameRows() throws Exception {
        Path out = f.tempDir("parquet").resolve("out");
        Run r = cli(scoreArgs(out));
        assertEquals(0, r.code(), r.err());
        // Read back with Spark and turned into JSON rows; the contract's field names, nested scores.
        List<JsonNode> rows = new ArrayList<>();
        for (String line : spark.read().parquet(out.toString()).toJSON().collectAsList()) {
            rows.add(SparkFixture.JSON.readTree(line));
        }
        List<JsonNode> expected = InProcessReference.scoreRows(f, 0.1, 0.5, null);
        // Spark's JSON drops null fields; put them back for the comparison.
        for (JsonNode row : rows) {
            for (String k : JsonLinesFormat.KEYS) {
                if (!row.has(k)) {
                    ((ObjectNode) row).putNull(k);
                }
            }
        }
        assertSameRows(expected, rows);
    }

    @Test
    void rerunOntoTheSameOutputIsRefusedUnlessOverwrite() throws Exception {
        Path out = f.tempDir("rerun").resolve("out");
        assertEquals(0, cli(scoreArgs(out, "--format", "json")).code());
        List<JsonNode> first = jsonRows(out);
        Run again = cli(scoreArgs(out, "--format", "json", "--lambda", "1"));
        assertEquals(2, again.code());
        assertTrue(again.err().contains(out + " already exists"), again.err());
        assertTrue(again.err().contains("--overwrite"), again.err());
        assertEquals(first, jsonRows(out), "the refused run left the output as it was");

        Run replaced = cli(scoreArgs(out, "--format", "json", "--lambda", "1", "--overwrite"));
        assertEquals(0, replaced.code(), replaced.err());
        List<JsonNode> second = jsonRows(out);
        assertEquals(first.size(), second.size(), "one run's rows, not two runs' rows");
        assertSameRows(InProcessReference.scoreRows(f, 0.1, 1.0, null), second);
    }

    @Test
    void calibratedScoringDecides() throws Exception {
        Path dir = f.tempDir("calibrated");
        Path cal = dir.resolve("calibration.json");
        Run c = cli(
                "spark-calibrate",
                "--images",
                f.images.toString(),
                "--detections",
                f.detections.toString(),
                "--image-list",
                f.imageList.toString(),
                "--model",
                f.model.toString(),
                "--classes",
                SparkFixture.CLASSES,
                "--tpr",
                "0.8",
                "--out",
                cal.toString());
        assertEquals(0, c.code(), c.err());
        Path out = dir.resolve("out");
        Run r = cli(scoreArgs(out, "--format", "json", "--calibration", cal.toString()));
        assertEquals(0, r.code(), r.err());
        List<JsonNode> rows = jsonRows(out);
        assertSameRows(InProcessReference.scoreRows(f, 0.1, 0.5, Calibration.load(cal)), rows);
        assertTrue(rows.stream().anyMatch(n -> n.get("ood").isBoolean()));
    }

    @Test
    void badModelFailsClearly() throws Exception {
        Path out = f.tempDir("badmodel").resolve("out");
        List<String> args = new ArrayList<>(List.of(scoreArgs(out)));
        args.set(
                args.indexOf(f.model.toString()),
                f.root.resolve("no-such-model").toString());
        Run r = cli(args.toArray(String[]::new));
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("runa: "), r.err());
        assertTrue(r.err().contains("no-such-model"), r.err());
        assertFalse(Files.exists(out));
        assertNotNull(r.err());
    }

    @Test
    void detectionsMayBeAParquetTable() throws Exception {
        Path dir = f.tempDir("parquet-in");
        Path table = dir.resolve("detections.parquet");
        // file relative to --images, box [x1, y1, x2, y2], and the optional detector columns.
        DetectionTables.fromCoco(spark, ScoringJobs.fromCoco(f.images, f.detections, f.imageList, 0))
                .withColumn("file", regexp_replace(col("file"), "^.*/", ""))
                .select("file", "box", "image_id", "category_id", "confidence")
                .write()
                .parquet(table.toString());
        Path out = dir.resolve("out");
        List<String> args = new ArrayList<>(List.of(scoreArgs(out, "--format", "json")));
        int at = args.indexOf("--detections");
        args.set(at + 1, table.toString());
        args.remove(args.indexOf("--image-list") + 1);
        args.remove("--image-list");
        Run r = cli(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        List<JsonNode> rows = jsonRows(out);
        List<JsonNode> expected = InProcessReference.scoreRows(f, 0.1, 0.5, null);
        assertEquals(expected.size(), rows.size(), "--min-confidence applies to the table's confidence");
        // No image_index/box_index in the table: match rows by image id and box.
        Map<String, JsonNode> byBox = new TreeMap<>();
        for (JsonNode row : rows) {
            assertTrue(row.get("image_index").isNull());
            byBox.put(row.get("image_id").asText() + row.get("box"), row);
        }
        for (JsonNode x : expected) {
            JsonNode y = byBox.get(x.get("image_id").asText() + x.get("box"));
            assertNotNull(y, "row for " + x);
            assertEquals(x.get("file"), y.get("file"));
            assertEquals(x.get("error"), y.get("error"));
            assertEquals(x.get("crop"), y.get("crop"));
            assertEquals(x.get("category_id"), y.get("category_id"));
            assertEquals(x.get("confidence").asDouble(), y.get("confidence").asDouble(), 0.0);
            if (!x.get("scores").isNull()) {
                double ref = x.get("scores").get("maxsim").asDouble();
                assertEquals(ref, y.get("scores").get("maxsim").asDouble(), TOL * Math.max(1, Math.abs(ref)));
            }
        }
    }
}
