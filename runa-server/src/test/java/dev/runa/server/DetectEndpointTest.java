package dev.runa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.batch.ScoredImage;
import dev.runa.clip.Precision;
import dev.runa.detect.DetectAndScore;
import dev.runa.detect.DetectedImage;
import dev.runa.detect.DetectorOptions;
import dev.runa.detect.ObjectDetector;
import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecoder;
import dev.runa.ood.BoxResult;
import dev.runa.ood.Calibration;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.ScoreKind;
import dev.runa.output.BoxRow;
import dev.runa.output.JsonLinesFormat;
import dev.runa.testing.SyntheticDetectors;
import dev.runa.testing.SyntheticDetectors.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/detect} on a real server (127.0.0.1, ephemeral port) with a generated YOLO-shaped
 * detector (core's {@link SyntheticDetectors}): its box objects equal {@code runa detect}'s rows
 * (the library path {@link DetectAndScore} + {@link BoxRow} + {@link JsonLinesFormat}) key by key, to
 * the bit, alone and mixed with concurrent score requests; a server without a detector answers a
 * clear 404 and keeps serving; bad images get {@code /v1/score}'s 4xx; the token guards the route.
 */
class DetectEndpointTest {
    /** The row keys a {@code /v1/detect} box shares with a {@code runa detect} row. */
    static final String[] ROW_KEYS = {
        "box", "scores", "ood", "best_class", "crop", "error", "category_id", "label", "confidence"
    };

    @TempDir
    static Path dir;

    static Path model;
    static Path street;
    static byte[] png;

    @BeforeAll
    static void fixtures() throws Exception {
        model = SyntheticDetectors.write(dir.resolve("det.onnx"), Kind.YOLOV8, true);
        // Red, green and blue blobs (as DetectAndScoreTest's pictures): each is found as its colour.
        street = SyntheticDetectors.writePicture(
                dir.resolve("street.png"),
                128,
                96,
                new int[] {32, 16, 48, 32, 0xff0000},
                new int[] {64, 48, 96, 64, 0x00ff00},
                new int[] {0, 80, 16, 96, 0x0000c8});
        png = Files.readAllBytes(street);
    }

    static ObjectDetector detector() throws Exception {
        return ObjectDetector.open(model, DetectorOptions.defaults(1));
    }

    /** RUNA over the detector's own classes (runa detect's --classes auto). */
    static RunaDetector runaFor(ObjectDetector det, Calibration cal) {
        List<String> classes =
                DetectAndScore.idClasses(det.graph(), det.source(), null).promptLabels();
        return TestModels.tiny(8, Precision.FP32, cal, classes);
    }

    static byte[] imageOnlyMultipart(byte[] image) {
        String b = HttpFixture.BOUNDARY;
        byte[] head = ("--" + b + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"street.png\"\r\n"
                        + "Content-Type: image/png\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + b + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + image.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(image, 0, out, head.length, image.length);
        System.arraycopy(tail, 0, out, head.length + image.length, tail.length);
        return out;
    }

    static byte[] imageOnlyJson(byte[] image) throws Exception {
        ObjectNode n = HttpFixture.JSON.createObjectNode();
        n.put("image", Base64.getEncoder().encodeToString(image));
        return HttpFixture.JSON.writeValueAsBytes(n);
    }

    @Test
    void detectBoxesEqualRunaDetectRowsToTheBit() throws Exception {
        try (ObjectDetector det = detector()) {
            Calibration cal;
            try (RunaDetector plain = runaFor(det, null)) {
                // A threshold at the median of this image's detections, so that both decisions occur.
                var image = ImageDecoder.decode(street);
                var boxes = det.detect(image).stream().map(o -> o.box()).toList();
                double[] s = plain.score(image, boxes).stream()
                        .map(BoxResult::scores)
                        .filter(x -> x != null)
                        .mapToDouble(x -> x.maxsim())
                        .toArray();
                cal = Calibration.fit(s, ScoreKind.MAXSIM, 0.5, plain.settings());
            }
            try (RunaDetector runa = runaFor(det, cal);
                    RunaServer server = RunaServer.start(
                            runa, det, new ServerConfig("127.0.0.1", 0, 8, 2, null, ServerLimits.DEFAULT))) {
                List<JsonNode> rows = libraryRows(det, runa);
                assertTrue(rows.size() >= 3, "the fixture should give one detection per blob, got " + rows);
                HttpFixture http = new HttpFixture(server.url());
                HttpFixture.Reply multipart =
                        http.post("/v1/detect", HttpFixture.multipartType(), imageOnlyMultipart(png));
                HttpFixture.Reply json = http.post("/v1/detect", "application/json", imageOnlyJson(png));
                int ood = 0;
                for (HttpFixture.Reply reply : List.of(multipart, json)) {
                    assertEquals(200, reply.status(), reply.body());
                    JsonNode body = reply.json();
                    assertEquals(runa.settings().model(), body.get("model").asText());
                    assertEquals("det.onnx", body.get("detector").asText());
                    JsonNode got = body.get("boxes");
                    assertEquals(rows.size(), got.size(), reply.body());
                    for (int i = 0; i < rows.size(); i++) {
                        for (String key : ROW_KEYS) {
                            assertEquals(rows.get(i).get(key), got.get(i).get(key), "box " + i + " key " + key);
                        }
                        assertTrue(List.of("red", "green", "blue")
                                .contains(got.get(i).get("label").asText()));
                        assertEquals(
                                runa.options().prompts().labels().size(),
                                got.get(i).get("similarities").size());
                        ood += got.get(i).get("ood").asBoolean() ? 1 : 0;
                    }
                }
                assertTrue(ood > 0 && ood < 2 * rows.size(), "both decisions expected, got " + ood + " OOD");
                // The same boxes sent to /v1/score give the same box objects (similarities included).
                JsonNode detected = json.json().get("boxes");
                double[][] boxes = new double[detected.size()][4];
                for (int i = 0; i < boxes.length; i++) {
                    for (int k = 0; k < 4; k++) {
                        boxes[i][k] = detected.get(i).get("box").get(k).asDouble();
                    }
                }
                JsonNode scored = http.post("/v1/score", "application/json", HttpFixture.jsonBody(png, boxes))
                        .json()
                        .get("boxes");
                for (int i = 0; i < boxes.length; i++) {
                    ObjectNode d = detected.get(i).deepCopy();
                    d.remove(List.of("category_id", "label", "confidence"));
                    assertEquals(scored.get(i), d, "box " + i);
                }
                // Detect and score requests in flight together share encoder batches; answers do not change.
                byte[] scoreBody = HttpFixture.jsonBody(png, boxes);
                ExecutorService pool = Executors.newFixedThreadPool(6);
                try {
                    List<Future<HttpFixture.Reply>> detects = new ArrayList<>();
                    List<Future<HttpFixture.Reply>> scores = new ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                        detects.add(pool.submit(() -> http.post("/v1/detect", "application/json", imageOnlyJson(png))));
                        scores.add(pool.submit(() -> http.post("/v1/score", "application/json", scoreBody)));
                    }
                    for (int i = 0; i < 6; i++) {
                        assertEquals(detected, detects.get(i).get().json().get("boxes"));
                        assertEquals(scored, scores.get(i).get().json().get("boxes"));
                    }
                } finally {
                    pool.shutdownNow();
                }
                JsonNode info = http.get("/v1/info").json();
                assertEquals("det.onnx", info.get("detector").get("file").asText());
                assertEquals("yolov8", info.get("detector").get("format").asText());
                assertEquals("[\"red\",\"green\",\"blue\"]", info.get("classes").toString());
                assertTrue(http.get("/metrics").body().contains("route=\"/v1/detect\",status=\"200\""));
            }
        }
    }

    /** {@code runa detect}'s rows for the image: DetectAndScore, then the JSONL row writer. */
    static List<JsonNode> libraryRows(ObjectDetector det, RunaDetector runa) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        JsonLinesFormat format = new JsonLinesFormat(false);
        List<String> labels = runa.options().prompts().labels();
        new DetectAndScore(det, runa, DecodeOptions.DEFAULT, 1, 1).run(List.of(street), 0, (DetectedImage img) -> {
            ScoredImage scored = img.scored();
            assertTrue(img.ok() && scored != null, "the library found nothing in the fixture");
            for (BoxRow row : BoxRow.of(scored, labels)) {
                rows.add(HttpFixture.JSON.readTree(format.format(row)));
            }
        });
        return rows;
    }

    @Test
    void withoutADetectorTheRouteSaysSoAndTheServerKeepsServing() throws Exception {
        try (RunaDetector runa = TestModels.tiny(8, Precision.FP32);
                RunaServer server =
                        RunaServer.start(runa, new ServerConfig("127.0.0.1", 0, 8, 1, null, ServerLimits.DEFAULT))) {
            HttpFixture http = new HttpFixture(server.url());
            for (int i = 0; i < 2; i++) {
                HttpFixture.Reply r = http.post("/v1/detect", "application/json", imageOnlyJson(png));
                ServerEndpointsTest.assertError(r, 404, null);
                assertTrue(r.json().get("error").asText().contains("without --detector"), r.body());
            }
            assertTrue(http.get("/v1/info").json().get("detector").isNull());
            assertEquals(
                    200,
                    http.post("/v1/score", "application/json", HttpFixture.jsonBody(png, new double[][] {{0, 0, 50, 50}
                            }))
                            .status());
            // Other unknown routes keep their own message.
            assertTrue(http.get("/v1/nothing").json().get("error").asText().contains("no such route"));
        }
    }

    @Test
    void badImagesAndBadRequestsAre4xxAndTheServerKeepsServing() throws Exception {
        try (ObjectDetector det = detector();
                RunaDetector runa = runaFor(det, null);
                RunaServer server = RunaServer.start(
                        runa,
                        det,
                        new ServerConfig("127.0.0.1", 0, 8, 1, null, ServerLimits.DEFAULT.withMaxPixels(10_000)))) {
            HttpFixture http = new HttpFixture(server.url());
            ServerEndpointsTest.assertError(
                    http.post("/v1/detect", "application/json", imageOnlyJson(new byte[0])), 400, "image");
            ServerEndpointsTest.assertError(
                    http.post("/v1/detect", "application/json", imageOnlyJson(new byte[] {1, 2, 3, 4, 5})),
                    415,
                    "image");
            ServerEndpointsTest.assertError(
                    http.post("/v1/detect", HttpFixture.multipartType(), imageOnlyMultipart(new byte[] {9, 9, 9})),
                    415,
                    "image");
            // Over twice the pixel limit: refused from the header, before decoding.
            ServerEndpointsTest.assertError(
                    http.post("/v1/detect", "application/json", imageOnlyJson(TestModels.flatPng(200, 120))),
                    413,
                    "image");
            ServerEndpointsTest.assertError(
                    http.post("/v1/detect", "application/json", "{\"image\": 5}".getBytes()), 400, "image");
            ServerEndpointsTest.assertError(
                    http.post("/v1/detect", "application/json", "not json".getBytes()), 400, null);
            ServerEndpointsTest.assertError(http.post("/v1/detect", "text/plain", png), 415, "Content-Type");
            // Boxes are the detector's to find: a request that brings some is refused, not half-obeyed.
            ServerEndpointsTest.assertError(
                    http.post("/v1/detect", "application/json", HttpFixture.jsonBody(png, new double[][] {{0, 0, 9, 9}
                    })),
                    400,
                    "boxes");
            ServerEndpointsTest.assertError(
                    http.post("/v1/detect", HttpFixture.multipartType(), HttpFixture.multipartBody(png, "[]")),
                    400,
                    "boxes");
            // An image without objects: no boxes, not an error.
            HttpFixture.Reply empty = http.post(
                    "/v1/detect",
                    "application/json",
                    imageOnlyJson(
                            Files.readAllBytes(SyntheticDetectors.writePicture(dir.resolve("black.png"), 64, 48))));
            assertEquals(200, empty.status(), empty.body());
            assertEquals(0, empty.json().get("boxes").size());
            HttpFixture.Reply ok = http.post("/v1/detect", "application/json", imageOnlyJson(png));
            assertEquals(200, ok.status(), ok.body());
            assertTrue(ok.json().get("boxes").size() >= 3);
            String metrics = http.get("/metrics").body();
            assertTrue(metrics.contains("route=\"/v1/detect\",status=\"415\""), metrics);
        }
    }

    @Test
    void anImageTheDetectorGraphCannotTakeIs422() throws Exception {
        // The torchvision-style graph runs at the image's own size; its 8 x 8 pooling cannot take 4 x 4.
        Path tv = SyntheticDetectors.write(dir.resolve("tv.onnx"), Kind.TORCHVISION, true);
        try (ObjectDetector det = ObjectDetector.open(tv, DetectorOptions.defaults(1));
                RunaDetector runa = runaFor(det, null);
                RunaServer server = RunaServer.start(
                        runa, det, new ServerConfig("127.0.0.1", 0, 8, 1, null, ServerLimits.DEFAULT))) {
            HttpFixture http = new HttpFixture(server.url());
            HttpFixture.Reply r = http.post(
                    "/v1/detect",
                    "application/json",
                    imageOnlyJson(Files.readAllBytes(SyntheticDetectors.writePicture(dir.resolve("tiny.png"), 4, 4))));
            ServerEndpointsTest.assertError(r, 422, "image");
            assertTrue(
                    r.json().get("error").asText().startsWith("the detector failed on this image: tv.onnx: "),
                    r.body());
            assertFalse(r.body().contains(dir.toString()), "the server's paths leak: " + r.body());
            // The server goes on: an image of the size the graph was built for (64 x 64) is detected.
            byte[] fits = Files.readAllBytes(SyntheticDetectors.writePicture(
                    dir.resolve("fits.png"), 64, 64, new int[] {16, 16, 24, 24, 0xff0000}));
            HttpFixture.Reply ok = http.post("/v1/detect", "application/json", imageOnlyJson(fits));
            assertEquals(200, ok.status(), ok.body());
            assertEquals("red", ok.json().get("boxes").get(0).get("label").asText());
        }
    }

    @Test
    void theTokenGuardsDetect() throws Exception {
        try (ObjectDetector det = detector();
                RunaDetector runa = runaFor(det, null);
                RunaServer server = RunaServer.start(
                        runa, det, new ServerConfig("127.0.0.1", 0, 8, 1, "detect-token", ServerLimits.DEFAULT))) {
            HttpFixture http = new HttpFixture(server.url());
            byte[] body = imageOnlyJson(png);
            ServerEndpointsTest.assertError(http.post("/v1/detect", "application/json", body), 401, "Authorization");
            ServerEndpointsTest.assertError(
                    http.post("/v1/detect", "application/json", body, "Authorization", "Bearer detect-token2"),
                    401,
                    "Authorization");
            HttpFixture.Reply ok =
                    http.post("/v1/detect", "application/json", body, "Authorization", "Bearer detect-token");
            assertEquals(200, ok.status(), ok.body());
            assertFalse(ok.json().get("boxes").isEmpty());
        }
    }
}
