package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.detect.CocoDetectionsFile;
import dev.runa.output.ResumableFile;
import dev.runa.testing.SyntheticDetectors;
import dev.runa.testing.SyntheticDetectors.Kind;
import dev.runa.testing.TinyCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runa detect} end to end on a generated YOLOv8-format detector and a tiny CLIP. */
class DetectCommandTest {
    @TempDir
    static Path tmp;

    static Path model;
    static Path images;
    static Path yolo;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void setUp() throws Exception {
        model = TinyCheckpoints.write(tmp.resolve("model"), 7);
        images = SyntheticDetectors.writeDetectFolder(tmp.resolve("images"));
        yolo = SyntheticDetectors.write(tmp.resolve("yolo.onnx"), Kind.YOLOV8, true);
    }

    static List<String> args(String... extra) {
        List<String> a = new ArrayList<>(List.of(
                "detect",
                "--detector",
                yolo.toString(),
                "--images",
                images.toString(),
                "--model",
                model.toString(),
                "--images-per-batch",
                "2"));
        a.addAll(List.of(extra));
        return a;
    }

    static CliRunner.Result run(List<String> args) {
        return CliRunner.run(args.toArray(String[]::new));
    }

    static List<JsonNode> rows(String out) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    @Test
    void rowsCarryTheDetectorsLabelsAndScoreReproducesThem() throws Exception {
        Path dets = tmp.resolve("dets.json");
        CliRunner.Result r = run(args("--detections-out", dets.toString()));
        assertEquals(0, r.exitCode(), r.err());
        List<JsonNode> rows = rows(r.out());
        // a: red, green, green, blue; b: green x2; e: red, blue; f: red; g: every cell white (36 cells
        // inside the picture's 8 x 6 letterbox rows... capped by NMS only within a class).
        JsonNode first = rows.get(0);
        assertEquals(images.resolve("a.png").toString(), first.get("file").asText());
        assertEquals("red", first.get("label").asText());
        assertEquals(0, first.get("category_id").asInt());
        assertEquals(1.0, first.get("confidence").asDouble(), 1e-6);
        assertEquals(List.of(24.0, 8.0, 56.0, 40.0), boxOf(first));
        assertEquals("1", first.get("image_id").asText());
        assertTrue(first.get("scores").has("maxsim"));
        assertEquals(4, first.get("n_boxes").asInt());
        // Images without detections (c) and unreadable ones (d) have no rows; e is the third with boxes.
        List<String> files = rows.stream()
                .map(n -> Path.of(n.get("file").asText()).getFileName().toString())
                .distinct()
                .toList();
        assertEquals(List.of("a.png", "b.png", "e.png", "f.png", "g.png"), files);
        JsonNode e0 = rows.stream()
                .filter(n -> n.get("file").asText().endsWith("e.png"))
                .findFirst()
                .orElseThrow();
        assertEquals(2, e0.get("image_index").asInt());
        assertEquals("5", e0.get("image_id").asText());
        assertTrue(r.err().contains("d.png"), r.err());

        // The same boxes through score: identical rows.
        Path list = CocoDetectionsFile.imageListFor(dets);
        CliRunner.Result s = CliRunner.run(
                "score",
                "--images",
                images.toString(),
                "--detections",
                dets.toString(),
                "--image-list",
                list.toString(),
                "--model",
                model.toString(),
                "--classes",
                "red,green,blue",
                "--images-per-batch",
                "2");
        assertEquals(0, s.exitCode(), s.err());
        assertEquals(r.out(), s.out());
    }

    @Test
    void resumesAsScoreDoes(@TempDir Path dir) throws Exception {
        assumeTrue(KilledRuns.canMakeFifo(dir), "needs mkfifo");
        // A copy of the images, named one by one (a folder listing skips what is not a regular file),
        // in which e.png (the first image of the second encoder batch of images with detections) can
        // be swapped for a named pipe: a run that reaches it blocks there after writing a's and b's
        // rows, so the test kills a real process at a known point.
        Path pics = Files.createDirectories(dir.resolve("pics"));
        List<String> imageArgs = new ArrayList<>();
        for (Path f : dev.runa.detect.ImageFolder.list(images)) {
            Files.copy(f, pics.resolve(f.getFileName()));
            imageArgs.addAll(List.of("--image", pics.resolve(f.getFileName()).toString()));
        }
        Path full = dir.resolve("full.jsonl");
        assertEquals(0, run(imageArgs("--out", full.toString(), imageArgs)).exitCode());
        String want = Files.readString(full);
        String firstBatch = want.substring(0, want.indexOf(pics.resolve("e.png").toString()));
        firstBatch = firstBatch.substring(0, firstBatch.lastIndexOf('\n') + 1);
        assertTrue(firstBatch.contains("b.png") && !firstBatch.contains("f.png"), firstBatch);

        Path e = pics.resolve("e.png");
        Path eSaved = dir.resolve("e.png.saved");
        Path resumed = dir.resolve("resumed.jsonl");
        Path partial = ResumableFile.partialOf(resumed);
        Files.move(e, eSaved);
        KilledRuns.mkfifo(e);
        Process p = KilledRuns.start(
                dir, imageArgs("--out", resumed.toString(), imageArgs).toArray(String[]::new));
        KilledRuns.killOnceWritten(p, partial, firstBatch.length(), dir);
        Files.delete(e);
        Files.move(eSaved, e);
        assertFalse(Files.exists(resumed));
        assertEquals(firstBatch, Files.readString(partial), "the killed run wrote exactly the first batch");

        // Other settings refuse the partial, and leave it for the resume.
        CliRunner.Result refused = run(imageArgs("--out", resumed.toString(), imageArgs, "--conf", "0.5"));
        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.err().contains("detector_options"), refused.err());

        CliRunner.Result again = run(imageArgs("--out", resumed.toString(), imageArgs));
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.err().contains("2 images with detections already done"), again.err());
        assertEquals(want, Files.readString(resumed), "resumed output must equal the uninterrupted one");
        assertFalse(Files.exists(partial));
    }

    /** {@link #args} with the images named one by one instead of {@code --images DIR}. */
    static List<String> imageArgs(String outFlag, String out, List<String> imageArgs, String... extra) {
        List<String> a = new ArrayList<>(List.of(
                "detect", "--detector", yolo.toString(), "--model", model.toString(), "--images-per-batch", "2"));
        a.addAll(imageArgs);
        a.addAll(List.of(outFlag, out));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void classCountMismatchIsExplained() {
        CliRunner.Result r = run(args("--classes", "voc"));
        assertNotEquals(0, r.exitCode());
        assertTrue(
                r.err().contains(yolo + " detects 3 classes (red, green, blue) but the ID class list 'voc' has 20"),
                r.err());
        CliRunner.Result ok = run(args("--classes", "cherry,lime,sky"));
        assertEquals(0, ok.exitCode(), ok.err());
    }

    @Test
    void badDetectorFilesAreNamed() throws Exception {
        Path corrupt = Files.write(tmp.resolve("corrupt.onnx"), new byte[] {1, 2, 3, 4, 5});
        CliRunner.Result r = CliRunner.run(
                "detect", "--detector", corrupt.toString(), "--images", images.toString(), "--model", model.toString());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains(corrupt + ": not an ONNX model"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
        Path bare = SyntheticDetectors.write(tmp.resolve("bare.onnx"), Kind.YOLOV8, false);
        CliRunner.Result noNames = CliRunner.run(
                "detect", "--detector", bare.toString(), "--images", images.toString(), "--model", model.toString());
        assertNotEquals(0, noNames.exitCode());
        assertTrue(noNames.err().contains("has no class names"), noNames.err());
    }

    private static List<Double> boxOf(JsonNode row) {
        List<Double> b = new ArrayList<>();
        row.get("box").forEach(v -> b.add(v.asDouble()));
        return b;
    }
}
