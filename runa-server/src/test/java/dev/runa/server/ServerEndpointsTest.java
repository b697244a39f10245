package dev.runa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runa.clip.Precision;
import dev.runa.ood.RunaDetector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every route and every error status against a real server on an ephemeral loopback port. */
class ServerEndpointsTest {
    static RunaDetector runa;
    static RunaServer server;
    static HttpFixture http;
    static final byte[] IMAGE = TestModels.png(96, 64, 1);
    static final double[][] BOXES = {{4, 4, 60, 50}, {10.5, 20.25, 90, 63}, {30, 30, 30, 40}};

    @BeforeAll
    static void start() {
        runa = TestModels.tiny(8, Precision.FP32);
        ServerLimits limits = ServerLimits.DEFAULT
                .withMaxBodyBytes(200_000)
                .withMaxPixels(300 * 300)
                .withMaxBoxes(16)
                .withRequestTimeout(Duration.ofSeconds(30));
        server = RunaServer.start(runa, new ServerConfig("127.0.0.1", 0, 8, 2, null, limits));
        http = new HttpFixture(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
        runa.close();
    }

    @Test
    void healthInfoAndMetrics() throws Exception {
        assertTrue(server.url().startsWith("http://127.0.0.1:"));
        assertEquals(200, http.get("/healthz").status());
        JsonNode info = http.get("/v1/info").json();
        assertEquals("random:tiny", info.get("model").asText());
        assertEquals(3, info.get("classes").size());
        assertEquals("red square", info.get("classes").get(0).asText());
        assertEquals("a photo of a red square", info.get("prompts").get(0).asText());
        assertEquals(0.5, info.get("lambda").asDouble());
        assertEquals("fp32", info.get("precision").asText());
        assertEquals("none", info.get("adapter").asText());
        assertTrue(info.get("calibration").isNull());
        http.post("/v1/score", "application/json", HttpFixture.jsonBody(IMAGE, BOXES));
        http.post("/v1/score", "application/json", "{".getBytes(StandardCharsets.UTF_8));
        HttpFixture.Reply m = http.get("/metrics");
        assertEquals(200, m.status());
        assertTrue(m.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        for (String name : new String[] {
            "runa_http_requests_total{route=\"/v1/score\",status=\"200\"}",
            "runa_http_requests_total{route=\"/v1/score\",status=\"400\"}",
            "runa_http_request_seconds_bucket{",
            "runa_batch_views_bucket{",
            "runa_queue_depth ",
            "runa_boxes_scored_total "
        }) {
            assertTrue(m.body().contains(name), name + " missing from /metrics:\n" + m.body());
        }
    }

    @Test
    void scoresBothFormsAlike() throws Exception {
        HttpFixture.Reply a = http.post("/v1/score", "application/json", HttpFixture.jsonBody(IMAGE, BOXES));
        HttpFixture.Reply b = http.post(
                "/v1/score",
                HttpFixture.multipartType(),
                HttpFixture.multipartBody(IMAGE, HttpFixture.boxesJson(BOXES)));
        assertEquals(200, a.status(), a.body());
        assertEquals(200, b.status(), b.body());
        JsonNode ja = a.json();
        JsonNode jb = b.json();
        assertEquals("random:tiny", ja.get("model").asText());
        assertTrue(ja.get("ms").isNumber());
        assertEquals(3, ja.get("boxes").size());
        assertEquals(ja.get("boxes"), jb.get("boxes"));
        JsonNode first = ja.get("boxes").get(0);
        for (String k : new String[] {"maxsim", "mcm_t1", "mcm_t0.01", "sum", "energy_t0.01"}) {
            assertTrue(first.get("scores").get(k).isNumber(), k);
        }
        assertTrue(first.get("ood").isNull());
        assertTrue(TestModels.CLASSES.contains(first.get("best_class").asText()));
        assertEquals(3, first.get("similarities").size());
        assertEquals(10.5, ja.get("boxes").get(1).get("box").get(0).asDouble());
        // The zero-width box gets an error and no scores; the others are still scored.
        JsonNode bad = ja.get("boxes").get(2);
        assertTrue(bad.get("scores").isNull());
        assertFalse(bad.get("error").asText().isEmpty());
        assertTrue(bad.get("crop").isNull());
    }

    @Test
    void malformedRequestsAre400() throws Exception {
        String[] bodies = {
            "{", "[]", "{\"boxes\": [[1,2,3,4]]}", "{\"image\": \"***\", \"boxes\": [[1,2,3,4]]}",
        };
        for (String body : bodies) {
            assertError(http.post("/v1/score", "application/json", body.getBytes(StandardCharsets.UTF_8)), 400, null);
        }
        assertError(
                http.post("/v1/score", "application/json", HttpFixture.jsonBody(IMAGE, new double[][] {{1, 2, 3}})),
                400,
                "boxes[0]");
        String noBoxes = "{\"image\": \"" + Base64.getEncoder().encodeToString(IMAGE) + "\"}";
        assertError(http.post("/v1/score", "application/json", noBoxes.getBytes(StandardCharsets.UTF_8)), 400, "boxes");
        String strBox =
                "{\"image\": \"" + Base64.getEncoder().encodeToString(IMAGE) + "\", \"boxes\": [[1, 2, \"x\", 4]]}";
        assertError(
                http.post("/v1/score", "application/json", strBox.getBytes(StandardCharsets.UTF_8)), 400, "boxes[0]");
        byte[] noImagePart = HttpFixture.multipartBody(IMAGE, "[[1,2,3,4]]");
        String broken =
                new String(noImagePart, StandardCharsets.ISO_8859_1).replace("name=\"image\"", "name=\"picture\"");
        assertError(
                http.post("/v1/score", HttpFixture.multipartType(), broken.getBytes(StandardCharsets.ISO_8859_1)),
                400,
                "image");
        assertError(
                http.post("/v1/score", "multipart/form-data; boundary=zzz", "garbage".getBytes(StandardCharsets.UTF_8)),
                400,
                null);
        assertEquals(200, http.get("/healthz").status());
    }

    @Test
    void limitsAre413() throws Exception {
        byte[] big = new byte[300_000];
        assertError(http.post("/v1/score", "application/json", big), 413, null);
        // Pillow's rule: above twice the limit (2 x 90,000) is refused; 500 x 400 = 200,000 pixels, in a small body.
        byte[] huge = TestModels.flatPng(500, 400);
        assertError(http.post("/v1/score", "application/json", HttpFixture.jsonBody(huge, BOXES)), 413, "image");
        double[][] many = new double[17][];
        for (int i = 0; i < many.length; i++) {
            many[i] = new double[] {0, 0, 10, 10};
        }
        assertError(http.post("/v1/score", "application/json", HttpFixture.jsonBody(IMAGE, many)), 413, "boxes");
    }

    @Test
    void notAnImageIs415() throws Exception {
        byte[] text = "this is not an image".getBytes(StandardCharsets.UTF_8);
        assertError(http.post("/v1/score", "application/json", HttpFixture.jsonBody(text, BOXES)), 415, "image");
        byte[] truncated = Arrays.copyOf(IMAGE, IMAGE.length / 3);
        assertError(http.post("/v1/score", "application/json", HttpFixture.jsonBody(truncated, BOXES)), 415, "image");
        assertError(
                http.post("/v1/score", "text/plain", "hello".getBytes(StandardCharsets.UTF_8)), 415, "Content-Type");
    }

    @Test
    void unknownRoutesAreJson404() throws Exception {
        HttpFixture.Reply r = http.get("/nope");
        assertEquals(404, r.status());
        assertNotNull(r.json().get("error"));
    }

    @Test
    void inspectorPageHasContentSecurityPolicy() throws Exception {
        HttpFixture.Reply r = http.get("/");
        assertEquals(200, r.status());
        assertTrue(r.body().contains("runa inspector"));
        String csp = r.raw().headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"), csp);
        assertFalse(r.body().contains("http://") || r.body().contains("https://"), "the page links another origin");
        assertEquals(200, http.get("/inspector.js").status());
        assertEquals(200, http.get("/inspector.css").status());
    }

    static void assertError(HttpFixture.Reply r, int status, String field) {
        assertEquals(status, r.status(), r.body());
        JsonNode j = r.json();
        assertTrue(j.get("error").isTextual() && !j.get("error").asText().isEmpty(), r.body());
        assertTrue(j.has("field"), r.body());
        if (field != null) {
            assertEquals(field, j.get("field").asText(), r.body());
        }
        assertFalse(r.body().contains("\tat "), "stack trace in " + r.body());
    }
}
