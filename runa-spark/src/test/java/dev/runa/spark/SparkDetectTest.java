package dev.runa.spark;

import static org.apache.spark.sql.functions.spark_partition_id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runa.detect.DetectAndScore;
import dev.runa.detect.DetectedImage;
import dev.runa.detect.DetectorOptions;
import dev.runa.detect.ImageFolder;
import dev.runa.detect.ObjectDetector;
import dev.runa.image.DecodeOptions;
import dev.runa.ood.RunaDetector;
import dev.runa.output.JsonLinesFormat;
import dev.runa.spark.SparkScoreTest.Run;
import dev.runa.spark.table.DetectedRows;
import dev.runa.spark.table.ImageTables;
import dev.runa.spark.table.ScoreRows;
import dev.runa.testing.SyntheticDetectors;
import dev.runa.testing.SyntheticDetectors.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code spark-detect} and {@link RunaSpark#detectAndScore} on a real local Spark session against
 * what {@code runa detect} writes for the same images: the library's {@link DetectAndScore} with
 * the same detector and CLIP, rows from {@link JsonLinesFormat} (runa-cli's DetectCommand is a thin
 * shell over exactly these; this module must not depend on the CLI).
 *
 * <p>Tolerance: none. Both sides decode the same bytes with the same decoder, run the same detector
 * graph and the same fp32 CLIP graph on the same pixels; the vision encoder's results do not depend
 * on which views share a call nor on the ONNX Runtime thread count (the service's bit-identity tests
 * rely on the same property), so every score is compared with {@code ==} on its double value.
 */
class SparkDetectTest {
    static final String CLASSES = "red,green,blue";
    static SparkFixture f;
    static SparkSession spark;
    static Path images;
    static Path yolo;
    static List<JsonNode> reference;

    @BeforeAll
    static void setUp() throws Exception {
        f = SparkFixture.get();
        spark = SharedSpark.session();
        Path root = f.tempDir("detect");
        images = SyntheticDetectors.writeDetectFolder(root.resolve("images"));
        SyntheticDetectors.writePicture(
                images.resolve("h.png"), 100, 140, SyntheticDetectors.green(), SyntheticDetectors.red());
        yolo = SyntheticDetectors.write(root.resolve("yolo.onnx"), Kind.YOLOV8, true);
        reference = runaDetectRows(ImageFolder.list(images));
        assertTrue(reference.size() > 10, "the fixture detects objects: " + reference.size());
    }

    /** The JSON Lines rows {@code runa detect --images DIR --detector yolo --model M} prints for these files. */
    static List<JsonNode> runaDetectRows(List<Path> files) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        JsonLinesFormat format = new JsonLinesFormat(false);
        try (ObjectDetector det = ObjectDetector.open(yolo, DetectorOptions.defaults(2));
                RunaDetector runa = InProcessReference.open(f.model, CLASSES, 0.5, null)) {
            List<String> labels = runa.options().prompts().labels();
            List<DetectedImage> unreadable = new ArrayList<>();
            new DetectAndScore(det, runa, DecodeOptions.DEFAULT, 2, 4).run(files, 0, image -> {
                if (!image.ok()) {
                    unreadable.add(image);
                }
                if (image.scored() != null) {
                    for (String line : format.lines(image.scored(), labels)) {
                        rows.add(SparkFixture.JSON.readTree(line));
                    }
                }
            });
            assertEquals(1, unreadable.size(), "the fixture has one corrupt image");
        }
        return rows;
    }

    static List<String> detectArgs(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of(
                "spark-detect",
                "--detector",
                yolo.toString(),
                "--images",
                images.toString(),
                "--model",
                f.model.toString(),
                "--out",
                out.toString(),
                "--format",
                "json"));
        a.addAll(List.of(extra));
        return a;
    }

    /** Splits rows into error rows and the others, which must be exactly the reference's rows. */
    static List<JsonNode> assertRunaDetectRowsPlusErrors(List<JsonNode> expected, List<JsonNode> rows) {
        List<JsonNode> errors = new ArrayList<>();
        List<JsonNode> scored = new ArrayList<>();
        for (JsonNode r : rows) {
            (r.get("box").isNull() ? errors : scored).add(r);
        }
        Map<String, JsonNode> want = byFileAndBox(expected);
        Map<String, JsonNode> got = byFileAndBox(scored);
        assertEquals(want.keySet(), got.keySet());
        for (String k : want.keySet()) {
            assertSameJson(k, want.get(k), got.get(k));
        }
        return errors;
    }

    static Map<String, JsonNode> byFileAndBox(List<JsonNode> rows) {
        Map<String, JsonNode> m = new TreeMap<>();
        for (JsonNode r : rows) {
            String key = r.get("file").asText() + "#" + r.get("box_index").asInt();
            assertNull(m.put(key, r), "duplicate row " + key);
        }
        return m;
    }

    /** Every field equal; numbers equal as doubles (no tolerance), so every score is bit-identical. */
    static void assertSameJson(String where, JsonNode want, JsonNode got) {
        if (want.isNumber()) {
            assertTrue(got.isNumber(), where + ": " + got);
            assertEquals(want.asDouble(), got.asDouble(), 0.0, where);
        } else if (want.isContainerNode()) {
            assertEquals(want.size(), got.size(), where + ": " + want + " vs " + got);
            if (want.isArray()) {
                for (int i = 0; i < want.size(); i++) {
                    assertSameJson(where + "[" + i + "]", want.get(i), got.get(i));
                }
            } else {
                for (Iterator<String> it = want.fieldNames(); it.hasNext(); ) {
                    String field = it.next();
                    assertTrue(got.has(field), where + ": no field " + field + " in " + got);
                    assertSameJson(where + "." + field, want.get(field), got.get(field));
                }
            }
        } else {
            assertEquals(want, got, where);
        }
    }

    @Test
    void sparkDetectRowsAreRunaDetectRowsPlusAnErrorRowPerUnreadableImage() throws Exception {
        Path out = f.tempDir("spark-detect").resolve("out");
        Run r = SparkScoreTest.cli(detectArgs(out).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("_SUCCESS")), "written through Spark's committer");
        List<JsonNode> rows = SparkScoreTest.jsonRows(out);
        List<JsonNode> errors = assertRunaDetectRowsPlusErrors(reference, rows);
        // image_index as runa detect numbers the images with detections: a, b, e, f, g, h (c has
        // none, d is unreadable).
        JsonNode e0 = byFileAndBox(rows).get(images.resolve("e.png") + "#0");
        assertEquals(2, e0.get("image_index").asInt());
        assertEquals("5", e0.get("image_id").asText());
        assertEquals(1, errors.size(), "one row for the corrupt image: " + errors);
        JsonNode d = errors.get(0);
        assertEquals(images.resolve("d.png").toString(), d.get("file").asText());
        assertTrue(d.get("error").asText().contains("d.png"), d.toString());
        assertTrue(d.get("scores").isNull() && d.get("image_index").isNull());
        assertEquals("4", d.get("image_id").asText());
        assertTrue(r.err().contains(reference.size() + " boxes detected and scored, 1 rows with an error"), r.err());
    }

    @Test
    void oneAndSeveralPartitionsGiveTheSameRows() throws Exception {
        for (int partitions : new int[] {1, 5}) {
            RunaSparkSettings s = RunaSparkSettings.defaults(List.of("red", "green", "blue"))
                    .withModel(f.model.toString())
                    .withPartitions(partitions)
                    .withImagesPerBatch(2);
            Path out = f.tempDir("partitions-" + partitions).resolve("out");
            Dataset<Row> detected = RunaSpark.detectAndScore(
                    ImageTables.ofFolder(spark, images.toString()), s, DetectSettings.defaults(yolo.toString()));
            assertEquals(partitions, detected.rdd().getNumPartitions());
            ScoreRows.Counts c = DetectedRows.write(detected, out.toString(), ScoreRows.Format.JSON, false);
            assertEquals(reference.size() + 1, c.rows());
            List<JsonNode> rows = SparkScoreTest.jsonRows(out);
            assertEquals(1, assertRunaDetectRowsPlusErrors(reference, rows).size(), partitions + " partitions");
        }
    }

    @Test
    void aFailedTaskAttemptIsRetriedWithoutLossOrDuplicates() throws Exception {
        RunaSparkSettings s = RunaSparkSettings.defaults(List.of("red", "green", "blue"))
                .withModel(f.model.toString())
                .withPartitions(3);
        DetectSettings yoloSettings = DetectSettings.defaults(yolo.toString());
        Dataset<Row> table = ImageTables.ofFolder(spark, images.toString());
        // A partition with at least two rows: the injected failure comes after its first row.
        int victim = -1;
        for (Row r : RunaSpark.detectAndScore(table, s, yoloSettings)
                .groupBy(spark_partition_id())
                .count()
                .collectAsList()) {
            if (r.getLong(1) >= 2) {
                victim = r.getInt(0);
            }
        }
        assertTrue(victim >= 0);
        try (FailedTasks failedTasks = new FailedTasks(spark.sparkContext())) {
            Path out = f.tempDir("detect-retry").resolve("out");
            Dataset<Row> detected =
                    RunaSpark.detectAndScore(table, s.withFailFirstAttemptOfPartition(victim), yoloSettings);
            DetectedRows.write(detected, out.toString(), ScoreRows.Format.JSON, false);
            // Complete, each row once (byFileAndBox refuses duplicates), and equal to runa detect.
            assertEquals(
                    1,
                    assertRunaDetectRowsPlusErrors(reference, SparkScoreTest.jsonRows(out))
                            .size());
            assertEquals(1, failedTasks.awaitAny(), "the injected failure happened once, and the retry succeeded");
        }
    }

    @Test
    void aTableOfImagePathsAloneIsEnough() throws Exception {
        Path dir = f.tempDir("images-table");
        Path table = dir.resolve("images.parquet");
        StructType schema = new StructType()
                .add("file", DataTypes.StringType)
                .add("image_id", DataTypes.StringType)
                .add("camera", DataTypes.StringType);
        // Relative to --images, absolute, missing, corrupt; no image_id for one (then position + 1).
        List<Row> rows = List.of(
                RowFactory.create("h.png", "frame-h", "front"),
                RowFactory.create(images.resolve("b.png").toString(), "frame-b", "rear"),
                RowFactory.create("missing.png", "frame-m", "rear"),
                RowFactory.create("d.png", null, "front"));
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(table.toString());
        Path out = dir.resolve("out");
        List<String> args = detectArgs(out, "--input", table.toString(), "--classes", CLASSES, "--partitions", "3");
        Run r = SparkScoreTest.cli(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        List<JsonNode> got = SparkScoreTest.jsonRows(out);
        // In file order: b (absolute path), then images/d, images/h, images/missing.
        List<JsonNode> expected = new ArrayList<>();
        for (JsonNode x :
                runaDetectRows(List.of(images.resolve("b.png"), images.resolve("d.png"), images.resolve("h.png")))) {
            // The table's image ids replace runa detect's positional ones.
            String file = x.get("file").asText();
            ((com.fasterxml.jackson.databind.node.ObjectNode) x)
                    .put("image_id", file.endsWith("b.png") ? "frame-b" : "frame-h");
            expected.add(x);
        }
        List<JsonNode> errors = assertRunaDetectRowsPlusErrors(expected, got);
        assertEquals(2, errors.size(), errors.toString());
        Map<String, JsonNode> byFile = new TreeMap<>();
        errors.forEach(
                e -> byFile.put(Path.of(e.get("file").asText()).getFileName().toString(), e));
        assertTrue(byFile.get("missing.png").get("error").asText().contains("missing.png: file not found"));
        assertEquals("frame-m", byFile.get("missing.png").get("image_id").asText());
        assertTrue(byFile.get("d.png").get("error").asText().contains("d.png"));
        assertEquals("2", byFile.get("d.png").get("image_id").asText(), "position 1 (file order) + 1");
    }

    @Test
    void badClassesNoImagesOrAMissingDetectorAreRefusedBeforeTheJob() throws Exception {
        Path out = f.tempDir("bad-classes").resolve("out");
        Run r = SparkScoreTest.cli(detectArgs(out, "--classes", "voc").toArray(String[]::new));
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("runa: "), r.err());
        assertTrue(
                r.err().contains("detects 3 classes (red, green, blue) but the ID class list 'voc' has 20"), r.err());
        assertFalse(Files.exists(out));

        List<String> noImages = detectArgs(out);
        noImages.remove(noImages.indexOf("--images") + 1);
        noImages.remove("--images");
        Run none = SparkScoreTest.cli(noImages.toArray(String[]::new));
        assertEquals(2, none.code());
        assertTrue(none.err().contains("--images DIR or --input TABLE"), none.err());

        List<String> args = detectArgs(out);
        args.set(args.indexOf(yolo.toString()), f.root.resolve("no-such.onnx").toString());
        Run missing = SparkScoreTest.cli(args.toArray(String[]::new));
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no-such.onnx: detector file not found"), missing.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void imagesMayComeAsBytesFromTheBinaryFileSource() throws Exception {
        Dataset<Row> files = spark.read()
                .format("binaryFile")
                .option("pathGlobFilter", "*.png")
                .load(images.toString());
        RunaSparkSettings s = RunaSparkSettings.defaults(List.of("red", "green", "blue"))
                .withModel(f.model.toString())
                .withImageBytesColumn("content", "path");
        List<Row> rows = RunaSpark.detectAndScore(files, s, DetectSettings.defaults(yolo.toString()))
                .select("path", "box_index", "confidence", "maxsim", "error")
                .collectAsList();
        Map<String, JsonNode> want = byFileAndBox(reference);
        int scored = 0;
        for (Row row : rows) {
            String name =
                    Path.of(java.net.URI.create(row.getString(0))).getFileName().toString();
            if (!row.isNullAt(4)) {
                assertEquals("d.png", name, row.getString(4));
                continue;
            }
            JsonNode x = want.get(images.resolve(name) + "#" + row.getInt(1));
            assertNotNull(x, name);
            assertEquals(x.get("confidence").asDouble(), row.getDouble(2), 0.0);
            assertEquals(x.get("scores").get("maxsim").asDouble(), row.getDouble(3), 0.0, name);
            scored++;
        }
        assertEquals(reference.size(), scored);
    }
}
