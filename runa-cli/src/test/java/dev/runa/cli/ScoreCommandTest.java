package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.data.Box;
import dev.runa.data.LabelSet;
import dev.runa.image.ImageDecoder;
import dev.runa.ood.BoxResult;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import dev.runa.ood.ScoreKind;
import dev.runa.output.CsvLine;
import dev.runa.output.JsonLinesFormat;
import dev.runa.output.ResumableFile;
import dev.runa.testing.TinyCheckpoints;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {
    @TempDir
    static Path tmp;

    static Path model;
    static Path images;
    static Path imageList;
    static Path detections;
    static final ObjectMapper JSON = new ObjectMapper();

    static Path noisePicture(Path dir, String name, int w, int h, long seed, String format) throws Exception {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int base = r.nextInt(0xffffff);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // Smooth shapes plus noise, so that JPEG round trips keep the content recognisable.
                int v = ((x / 8 + y / 8) % 2 == 0 ? base : ~base) ^ r.nextInt(32);
                img.setRGB(x, y, v & 0xffffff);
            }
        }
        Path p = dir.resolve(name);
        ImageIO.write(img, format, p.toFile());
        return p;
    }

    @BeforeAll
    static void setUp() throws Exception {
        model = TinyCheckpoints.write(tmp.resolve("model"), 7);
        images = Files.createDirectories(tmp.resolve("images"));
        // 5 listed images: 0..2 good (PNG, JPEG), 3 corrupt, 4 missing on disk, 5 without detections.
        noisePicture(images, "a.png", 64, 48, 1, "png");
        noisePicture(images, "b.jpg", 50, 70, 2, "jpg");
        noisePicture(images, "c.png", 40, 40, 3, "png");
        Files.write(images.resolve("d.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 9, 9, 9});
        ObjectNode list = JSON.createObjectNode();
        ArrayNode imgs = list.putArray("images");
        String[] files = {"a.png", "b.jpg", "c.png", "d.png", "missing.png", "a.png"};
        int[][] sizes = {{64, 48}, {50, 70}, {40, 40}, {10, 10}, {10, 10}, {64, 48}};
        for (int i = 0; i < files.length; i++) {
            imgs.addObject()
                    .put("id", 100 + i)
                    .put("file_name", files[i])
                    .put("width", sizes[i][0])
                    .put("height", sizes[i][1]);
        }
        list.putArray("categories").addObject().put("id", 1).put("name", "person");
        list.withArray("categories").addObject().put("id", 2).put("name", "dog");
        imageList = tmp.resolve("list.json");
        JSON.writeValue(imageList.toFile(), list);
        ArrayNode dets = JSON.createArrayNode();
        det(dets, 100, 1, new double[] {2, 3, 30, 20}, 0.9);
        det(dets, 101, 2, new double[] {5, 5, 20, 40}, 0.8);
        det(dets, 100, 2, new double[] {10.5, 4.25, 40, 30}, 0.7);
        det(dets, 100, 1, new double[] {20, 20, 0, 10}, 0.95); // zero width: degenerate
        det(dets, 102, 1, new double[] {1, 1, 30, 30}, 0.6);
        det(dets, 102, 1, new double[] {0, 0, 10, 10}, 0.05); // below --min-confidence 0.1
        det(dets, 103, 1, new double[] {1, 1, 5, 5}, 0.9); // corrupt image
        det(dets, 104, 2, new double[] {1, 1, 5, 5}, 0.9); // missing image
        det(dets, 101, 1, new double[] {500, 500, 20, 20}, 0.9); // outside the image
        det(dets, 102, 2, new double[] {3, 3, 20, 20}, 0.5);
        detections = tmp.resolve("dets.json");
        JSON.writeValue(detections.toFile(), dets);
    }

    private static void det(ArrayNode dets, int image, int cat, double[] xywh, double score) {
        ObjectNode d =
                dets.addObject().put("image_id", image).put("category_id", cat).put("score", score);
        ArrayNode b = d.putArray("bbox");
        for (double v : xywh) {
            b.add(v);
        }
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

    private static String[] batchArgs(String... extra) {
        return batchArgs(images, extra);
    }

    private static String[] batchArgs(Path images, String... extra) {
        List<String> a = new ArrayList<>(List.of(
                "score",
                "--model",
                model.toString(),
                "--images",
                images.toString(),
                "--detections",
                detections.toString(),
                "--image-list",
                imageList.toString(),
                "--min-confidence",
                "0.1",
                "--images-per-batch",
                "2"));
        a.addAll(Arrays.asList(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void singleImageFollowsTheContractAndEqualsTheLibrary() throws Exception {
        Path img = images.resolve("a.png");
        CliRunner.Result r = CliRunner.run(
                "score",
                "--model",
                model.toString(),
                "--image",
                img.toString(),
                "--box",
                "2,3,32,23",
                "--box",
                "10.5,4.25,50.5,34.25",
                "--box",
                "5,5,5,9",
                "--classes",
                "cat,dog,car");
        assertEquals(0, r.exitCode(), r.err());
        List<JsonNode> rows = rows(r.out());
        assertEquals(3, rows.size(), "one line per box");
        for (JsonNode row : rows) {
            List<String> keys = new ArrayList<>();
            row.fieldNames().forEachRemaining(keys::add);
            assertEquals(JsonLinesFormat.KEYS, keys, "exact keys in order");
            assertEquals(img.toString(), row.get("file").asText());
            assertTrue(row.get("ood").isNull(), "no calibration: ood is null");
        }
        assertEquals(List.of(10.5, 4.25, 50.5, 34.25), doubles(rows.get(1).get("box")));
        assertTrue(rows.get(2).get("scores").isNull());
        assertTrue(
                rows.get(2).get("error").asText().contains("area"),
                rows.get(2).get("error").asText());

        HubSettings offline = HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1"), Path.of("/nonexistent"));
        try (RunaDetector runa = RunaDetector.open(
                new ClipLoader(new HubClient(offline), EncoderOptions.defaults()).load(model.toString()),
                RunaOptions.defaults(
                        new PromptSet(LabelSet.parse("cat,dog,car").promptLabels(), PromptSet.DEFAULT_TEMPLATE)))) {
            List<BoxResult> want = runa.score(
                    ImageDecoder.decode(img), List.of(new Box(2, 3, 32, 23), new Box(10.5, 4.25, 50.5, 34.25)));
            for (int b = 0; b < 2; b++) {
                JsonNode s = rows.get(b).get("scores");
                List<String> keys = new ArrayList<>();
                s.fieldNames().forEachRemaining(keys::add);
                assertEquals(
                        Arrays.stream(ScoreKind.values()).map(ScoreKind::key).toList(), keys);
                for (ScoreKind k : ScoreKind.values()) {
                    // Same inputs, same batch, same code path: exactly equal (JSON keeps doubles exactly).
                    assertEquals(want.get(b).scores().get(k), s.get(k.key()).asDouble(), 0.0, k.key());
                }
                assertEquals(
                        List.of("cat", "dog", "car").get(want.get(b).scores().bestClass()),
                        rows.get(b).get("best_class").asText());
                assertEquals(
                        List.of(
                                want.get(b).crop().left(),
                                want.get(b).crop().top(),
                                want.get(b).crop().right(),
                                want.get(b).crop().bottom()),
                        ints(rows.get(b).get("crop")));
            }
        }
    }

    private static List<Double> doubles(JsonNode arr) {
        List<Double> l = new ArrayList<>();
        arr.forEach(n -> l.add(n.asDouble()));
        return l;
    }

    private static List<Integer> ints(JsonNode arr) {
        List<Integer> l = new ArrayList<>();
        arr.forEach(n -> l.add(n.asInt()));
        return l;
    }

    @Test
    void batchGivesEveryBoxARowReportsBadOnesAndParsesBackAsCsv() throws Exception {
        Path annotated = tmp.resolve("annotated");
        CliRunner.Result r = CliRunner.run(batchArgs("--annotate", annotated.toString()));
        assertEquals(0, r.exitCode(), r.err());
        List<JsonNode> rows = rows(r.out());
        // 10 detections, 1 below the confidence threshold; image order from the list (100, 101, 102, 103, 104).
        assertEquals(9, rows.size());
        List<String> want = List.of("100/0", "100/1", "100/2", "101/0", "101/1", "102/0", "102/1", "103/0", "104/0");
        List<String> got = new ArrayList<>();
        for (JsonNode row : rows) {
            got.add(row.get("image_id").asText() + "/" + row.get("box_index").asInt());
        }
        assertEquals(want, got);
        assertEquals("person", rows.get(0).get("label").asText());
        assertEquals(0.9, rows.get(0).get("confidence").asDouble());
        assertEquals(List.of(2.0, 3.0, 32.0, 23.0), doubles(rows.get(0).get("box")));
        int[] errorRows = {2, 4, 7, 8};
        for (int i = 0; i < rows.size(); i++) {
            boolean isError = Arrays.binarySearch(errorRows, i) >= 0;
            assertEquals(isError, !rows.get(i).get("error").isNull(), "row " + i + ": " + rows.get(i));
            assertEquals(isError, rows.get(i).get("scores").isNull(), "row " + i);
        }
        assertTrue(
                rows.get(7).get("error").asText().contains("d.png"), rows.get(7).toString());
        assertTrue(
                rows.get(8).get("error").asText().contains("missing.png"),
                rows.get(8).toString());
        assertTrue(r.err().contains("5 boxes on 5 images scored, 4 could not be scored"), r.err());
        assertTrue(r.err().contains("1 below --min-confidence dropped"), r.err());
        assertTrue(Files.exists(annotated.resolve("a.png")) && Files.exists(annotated.resolve("b.png")));
        BufferedImage drawn = ImageIO.read(annotated.resolve("a.png").toFile());
        assertEquals(64, drawn.getWidth());
        assertEquals(0x969696, drawn.getRGB(2, 10) & 0xffffff, "uncalibrated box drawn grey on its left edge");

        CliRunner.Result csv = CliRunner.run(batchArgs("--format", "csv"));
        assertEquals(0, csv.exitCode(), csv.err());
        String[] lines = csv.out().strip().split("\n");
        assertEquals(10, lines.length, "header + 9 rows");
        List<String> header = CsvLine.parse(lines[0]);
        for (int i = 0; i < rows.size(); i++) {
            List<String> f = CsvLine.parse(lines[i + 1]);
            assertEquals(header.size(), f.size());
            JsonNode j = rows.get(i);
            assertEquals(j.get("image_id").asText(), f.get(header.indexOf("image_id")));
            assertEquals(j.get("error").isNull() ? "" : j.get("error").asText(), f.get(header.indexOf("error")));
            for (ScoreKind k : ScoreKind.values()) {
                String cell = f.get(header.indexOf(k.key()));
                if (j.get("scores").isNull()) {
                    assertEquals("", cell);
                } else {
                    assertEquals(j.get("scores").get(k.key()).asDouble(), Double.parseDouble(cell), 0.0, k.key());
                }
            }
        }
    }

    @Test
    void aKilledRunResumesToTheSameBytes(@TempDir Path dir) throws Exception {
        assumeTrue(KilledRuns.canMakeFifo(dir), "needs mkfifo");
        // A copy of the images in which c.png (the third image, in the second encoder batch of two)
        // can be swapped for a named pipe: a run that reaches it blocks there after writing the first
        // batch, so the test kills a real process at a known point.
        Path pics = Files.createDirectories(dir.resolve("pics"));
        try (var files = Files.list(images)) {
            for (Path f : files.toList()) {
                Files.copy(f, pics.resolve(f.getFileName()));
            }
        }
        Path c = pics.resolve("c.png");
        Path cSaved = dir.resolve("c.png.saved");
        for (String format : List.of("jsonl", "csv")) {
            Path full = dir.resolve("full." + format);
            assertEquals(
                    0,
                    CliRunner.run(batchArgs(pics, "--format", format, "--out", full.toString()))
                            .exitCode());
            assertFalse(Files.exists(ResumableFile.partialOf(full)));
            assertFalse(Files.exists(ResumableFile.settingsOf(full)));
            byte[] want = Files.readAllBytes(full);
            String firstBatch = firstBatchOf(new String(want, StandardCharsets.UTF_8));

            Path resumed = dir.resolve("resumed." + format);
            Path partial = ResumableFile.partialOf(resumed);
            Files.move(c, cSaved);
            KilledRuns.mkfifo(c);
            Process p = KilledRuns.start(dir, batchArgs(pics, "--format", format, "--out", resumed.toString()));
            KilledRuns.killOnceWritten(p, partial, firstBatch.length(), dir);
            Files.delete(c);
            Files.move(cSaved, c);
            assertFalse(Files.exists(resumed));
            assertEquals(firstBatch, Files.readString(partial), "the killed run wrote exactly the first batch");
            // Kill it mid-write too: tear the next image's first line in half.
            String next = new String(want, StandardCharsets.UTF_8).substring(firstBatch.length());
            Files.writeString(partial, next.substring(0, next.indexOf('\n') / 2), StandardOpenOption.APPEND);

            CliRunner.Result refused =
                    CliRunner.run(batchArgs(pics, "--format", format, "--out", resumed.toString(), "--lambda", "0.75"));
            assertEquals(2, refused.exitCode());
            assertTrue(refused.err().contains("lambda") && refused.err().contains("different settings"), refused.err());

            CliRunner.Result again = CliRunner.run(batchArgs(pics, "--format", format, "--out", resumed.toString()));
            assertEquals(0, again.exitCode(), again.err());
            assertTrue(again.err().contains("resuming"), again.err());
            assertArrayEquals(
                    want, Files.readAllBytes(resumed), format + ": resumed output must equal the uninterrupted one");
            assertFalse(Files.exists(partial));
        }
    }

    /** The header (CSV) and the rows of the first encoder batch: images a.png and b.jpg. */
    private static String firstBatchOf(String output) {
        StringBuilder sb = new StringBuilder();
        String[] lines = output.split("\n", -1);
        int i = lines[0].startsWith("{") ? 0 : 1;
        if (i == 1) {
            sb.append(lines[0]).append('\n');
        }
        while (lines[i].contains("a.png") || lines[i].contains("b.jpg")) {
            sb.append(lines[i++]).append('\n');
        }
        assertTrue(i > 2, "the first batch has rows");
        return sb.toString();
    }

    @Test
    void calibrationDecidesByItsThresholdAndRefusesOtherSettings(@TempDir Path dir) throws Exception {
        Path cal = dir.resolve("cal.json");
        CliRunner.Result c = CliRunner.run(
                "calibrate",
                "--model",
                model.toString(),
                "--images",
                images.toString(),
                "--detections",
                detections.toString(),
                "--image-list",
                imageList.toString(),
                "--tpr",
                "0.6",
                "--out",
                cal.toString());
        assertEquals(0, c.exitCode(), c.err());
        JsonNode calJson = JSON.readTree(cal.toFile());
        double threshold = calJson.get("threshold").asDouble();
        assertEquals(6, calJson.get("id_samples").asInt(), "6 scorable boxes (no confidence threshold here)");

        CliRunner.Result r = CliRunner.run(batchArgs("--calibration", cal.toString()));
        assertEquals(0, r.exitCode(), r.err());
        int ood = 0;
        int id = 0;
        for (JsonNode row : rows(r.out())) {
            if (row.get("scores").isNull()) {
                assertTrue(row.get("ood").isNull());
                continue;
            }
            boolean want = row.get("scores").get("maxsim").asDouble() < threshold;
            assertEquals(want, row.get("ood").asBoolean(), row.toString());
            if (want) {
                ood++;
            } else {
                id++;
            }
        }
        assertTrue(
                id >= 3 && ood >= 1,
                "ceil(0.6 * 6) = 4 calibration boxes accepted; got " + id + " ID, " + ood + " OOD");

        CliRunner.Result refused = CliRunner.run(batchArgs("--calibration", cal.toString(), "--lambda", "1"));
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("lambda: '0.5' (calibration) vs '1.0' (now)"), refused.err());
    }
}
