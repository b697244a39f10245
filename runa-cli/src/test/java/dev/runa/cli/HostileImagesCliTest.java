package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.image.HostileImages;
import dev.runa.testing.TinyCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9, items 2-4 through {@code runa score}: one bad image never stops a batch. */
class HostileImagesCliTest {
    @TempDir
    static Path tmp;

    static Path model;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void setUp() throws Exception {
        model = TinyCheckpoints.write(tmp.resolve("model"), 7);
    }

    /** A batch over {@code files} (in {@code dir}) with one box each; returns the score arguments. */
    private static List<String> batch(Path dir, String... files) throws Exception {
        ObjectNode list = JSON.createObjectNode();
        ArrayNode imgs = list.putArray("images");
        ArrayNode dets = JSON.createArrayNode();
        for (int i = 0; i < files.length; i++) {
            imgs.addObject()
                    .put("id", i)
                    .put("file_name", files[i])
                    .put("width", 64)
                    .put("height", 48);
            ObjectNode d =
                    dets.addObject().put("image_id", i).put("category_id", 1).put("score", 0.9);
            d.putArray("bbox").add(2).add(3).add(30).add(20);
        }
        list.putArray("categories").addObject().put("id", 1).put("name", "thing");
        Path l = dir.resolve("list.json");
        Path d = dir.resolve("dets.json");
        JSON.writeValue(l.toFile(), list);
        JSON.writeValue(d.toFile(), dets);
        return new ArrayList<>(List.of(
                "score",
                "--model",
                model.toString(),
                "--classes",
                "a,b",
                "--images",
                dir.toString(),
                "--detections",
                d.toString(),
                "--image-list",
                l.toString()));
    }

    private static List<JsonNode> rows(String out) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    @Test
    void bombsAndTruncatedFilesBecomeErrorRowsCountedByReasonAndTheRunGoesOn(@TempDir Path dir) throws Exception {
        ScoreCommandTest.noisePicture(dir, "good.png", 64, 48, 1, "png");
        Files.write(dir.resolve("bomb.png"), HostileImages.bombPng(32000, 32000));
        Files.write(dir.resolve("cut.jpg"), HostileImages.truncatedJpeg(64, 48, 2));
        ScoreCommandTest.noisePicture(dir, "good2.png", 64, 48, 3, "png");
        List<String> args = batch(dir, "good.png", "bomb.png", "cut.jpg", "good2.png");
        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        List<JsonNode> rows = rows(r.out());
        assertEquals(4, rows.size());
        assertTrue(rows.get(0).get("error").isNull());
        assertTrue(
                rows.get(1).get("error").asText().contains("pixels"),
                rows.get(1).toString());
        assertTrue(
                rows.get(2).get("error").asText().contains("truncated"),
                rows.get(2).toString());
        assertTrue(rows.get(3).get("error").isNull());
        assertTrue(
                r.err().contains("2 could not be scored (1 image exceeds the pixel limit, 1 truncated image)"),
                r.err());

        // --allow-truncated scores the cut JPEG; --max-pixels 2000 warns about the 64x48 images (3072 pixels,
        // under twice the limit) and still refuses the bomb.
        args.addAll(List.of("--allow-truncated", "--max-pixels", "2000"));
        CliRunner.Result allowed = CliRunner.run(args.toArray(String[]::new));
        List<JsonNode> again = rows(allowed.out());
        assertTrue(again.get(0).get("error").isNull(), again.get(0).toString());
        assertTrue(
                again.get(1).get("error").asText().contains("pixels"),
                again.get(1).toString());
        assertTrue(again.get(2).get("error").isNull(), again.get(2).toString());
        assertTrue(
                allowed.err().contains("runa: warning: " + dir.resolve("good.png") + ": 64x48 = 3072 pixels"),
                allowed.err());
    }

    @Test
    void scoreExitsNonZeroAndSaysSoWhenEveryBoxFailed(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("bomb.png"), HostileImages.bombPng(20000, 20000));
        Files.write(dir.resolve("cut.jpg"), HostileImages.truncatedJpeg(64, 48, 2));
        CliRunner.Result r = CliRunner.run(batch(dir, "bomb.png", "cut.jpg").toArray(String[]::new));
        assertNotEquals(0, r.exitCode(), r.err());
        assertEquals(2, rows(r.out()).size(), "the error rows are still written");
        assertTrue(r.err().contains("not one of the 2 boxes could be scored"), r.err());
    }

    @Test
    void annotatedPicturesNeverOverwriteEachOther(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        ScoreCommandTest.noisePicture(dir.resolve("a"), "x.png", 64, 48, 1, "png");
        ScoreCommandTest.noisePicture(dir.resolve("b"), "x.png", 64, 48, 2, "png");
        ScoreCommandTest.noisePicture(dir, "x.jpg", 64, 48, 3, "jpg");
        ScoreCommandTest.noisePicture(dir, "x.png", 64, 48, 4, "png");
        List<String> args = batch(dir, "a/x.png", "b/x.png", "x.jpg", "x.png");
        Path ann = dir.resolve("ann");
        args.addAll(List.of("--annotate", ann.toString()));
        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        for (String p : List.of("a/x.png", "b/x.png", "x.png", "x_png.png")) {
            assertTrue(Files.isRegularFile(ann.resolve(p)), p + " in " + ann);
        }
        try (var all = Files.walk(ann)) {
            assertEquals(4, all.filter(Files::isRegularFile).count());
        }
    }

    @Test
    void anUnknownClassPresetIsAnErrorListingThePresets() {
        CliRunner.Result r = CliRunner.run(
                "score", "--model", model.toString(), "--image", "x.png", "--box", "1,1,5,5", "--classes", "bdd100k");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("'bdd100k' is neither a preset (voc, bdd"), r.err());
    }

    @Test
    void valuesAreValidated(@TempDir Path dir) throws Exception {
        ScoreCommandTest.noisePicture(dir, "good.png", 64, 48, 1, "png");
        List<String> nan = batch(dir, "good.png");
        nan.addAll(List.of("--min-confidence", "NaN"));
        CliRunner.Result r = CliRunner.run(nan.toArray(String[]::new));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("finite"), r.err());

        String image = dir.resolve("good.png").toString();
        CliRunner.Result threads = scoreOneBox(image, "--threads", "100000");
        assertEquals(0, threads.exitCode(), threads.err());
        assertTrue(threads.err().contains("--threads 100000 is more than the "), threads.err());

        Path cal = dir.resolve("cal.json");
        CliRunner.Result c = CliRunner.run(
                "calibrate",
                "--model",
                model.toString(),
                "--classes",
                "a,b",
                "--image",
                image,
                "--box",
                "1,1,30,30",
                "--box",
                "5,5,40,40",
                "--out",
                cal.toString());
        assertEquals(0, c.exitCode(), c.err());
        CliRunner.Result sum = scoreOneBox(image, "--calibration", cal.toString(), "--score", "sum");
        assertEquals(2, sum.exitCode(), sum.err());
        assertTrue(
                sum.err().contains("--score sum differs from the score the calibration was fitted on (maxsim)"),
                sum.err());
        CliRunner.Result same = scoreOneBox(image, "--calibration", cal.toString());
        assertEquals(0, same.exitCode(), same.err());

        CliRunner.Result shots = CliRunner.run(
                "finetune",
                "--model",
                model.toString(),
                "--gt",
                "gt.json",
                "--classes",
                "a,b",
                "--shots",
                "-1",
                "--out",
                dir.resolve("a.safetensors").toString());
        assertEquals(2, shots.exitCode(), shots.err());
        assertTrue(shots.err().contains("shots must be a number >= 0 or 'all', got '-1'"), shots.err());
    }

    @Test
    void progressIsPlainWithoutATerminalAndAbsentWithNoProgress(@TempDir Path dir) throws Exception {
        ScoreCommandTest.noisePicture(dir, "a.png", 64, 48, 1, "png");
        ScoreCommandTest.noisePicture(dir, "b.png", 64, 48, 2, "png");
        List<String> args = batch(dir, "a.png", "b.png");
        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.err().contains("\r") || r.err().contains("\u001b"), r.err());
        assertTrue(r.err().contains("score: 2/2 boxes (100%)"), r.err());
        args.add("--no-progress");
        CliRunner.Result quiet = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, quiet.exitCode(), quiet.err());
        assertFalse(quiet.err().contains("score: 2/2"), quiet.err());
        assertEquals(r.out(), quiet.out());

        Path image = dir.resolve("a.png");
        CliRunner.Result cal = CliRunner.run(
                "calibrate",
                "--model",
                model.toString(),
                "--classes",
                "a,b",
                "--image",
                image.toString(),
                "--box",
                "1,1,30,30",
                "--box",
                "2,2,20,20",
                "--out",
                dir.resolve("c.json").toString());
        assertEquals(0, cal.exitCode(), cal.err());
        assertTrue(cal.err().contains("calibrate: 2/2 boxes (100%)"), cal.err());
    }

    @Test
    void aNanBoxAsPythonWritesItIsAnErrorRowOfItsOwn(@TempDir Path dir) throws Exception {
        ScoreCommandTest.noisePicture(dir, "good.png", 64, 48, 1, "png");
        List<String> args = batch(dir, "good.png");
        Path dets = dir.resolve("dets.json");
        Files.writeString(
                dets,
                "[{\"image_id\": 0, \"category_id\": 1, \"bbox\": [2, 3, 30, 20], \"score\": 0.9},"
                        + " {\"image_id\": 0, \"category_id\": 1, \"bbox\": [NaN, 3, 30, 20], \"score\": 0.8}]");
        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        List<JsonNode> rows = rows(r.out());
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).get("error").isNull());
        assertTrue(
                rows.get(1).get("error").asText().contains("not a finite number"),
                rows.get(1).toString());
        assertTrue(r.err().contains("1 box coordinate not finite"), r.err());
    }

    @Test
    void aDetectionOnAnUnlistedImageIsSkippedAndCountedAsEvalDoes(@TempDir Path dir) throws Exception {
        ScoreCommandTest.noisePicture(dir, "good.png", 64, 48, 1, "png");
        List<String> args = batch(dir, "good.png");
        Files.writeString(
                dir.resolve("dets.json"),
                "[{\"image_id\": 0, \"category_id\": 1, \"bbox\": [2, 3, 30, 20],"
                        + " \"score\": 0.9}, {\"image_id\": 99, \"category_id\": 1, \"bbox\": [1, 1, 9, 9], \"score\": 0.9}]");
        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(1, rows(r.out()).size());
        assertTrue(r.err().contains("1 on images --image-list does not list skipped"), r.err());
    }

    @Test
    void aUsageErrorIsOneLineAndAHintNotTheWholeHelp() {
        CliRunner.Result r = CliRunner.run("score", "--no-such-option");
        assertEquals(2, r.exitCode());
        String[] lines = r.err().strip().split("\n");
        assertEquals(2, lines.length, r.err());
        assertTrue(lines[0].contains("--no-such-option"), r.err());
        assertEquals("Try 'runa score --help' for the options.", lines[1]);
    }

    /** {@code runa score} of one 1,1,30,30 box of {@code image} on the tiny model, classes a,b, plus {@code extra}. */
    private static CliRunner.Result scoreOneBox(String image, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "score", "--model", model.toString(), "--classes", "a,b", "--image", image, "--box", "1,1,30,30"));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }
}
