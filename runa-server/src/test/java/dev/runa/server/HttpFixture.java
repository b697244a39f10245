package dev.runa.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A real HTTP client for the tests, and the two request forms of POST /v1/score. */
final class HttpFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    final String base;

    HttpFixture(String base) {
        this.base = base;
    }

    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    Reply get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<String> r = client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r);
    }

    Reply post(String path, String contentType, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r);
    }

    static String boxesJson(double[][] boxes) {
        ArrayNode a = JSON.createArrayNode();
        for (double[] b : boxes) {
            ArrayNode row = a.addArray();
            for (double v : b) {
                row.add(v);
            }
        }
        return a.toString();
    }

    /** {@code {"image": base64, "boxes": [...]}}. */
    static byte[] jsonBody(byte[] image, double[][] boxes) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("image", Base64.getEncoder().encodeToString(image));
        n.set("boxes", JSON.readTree(boxesJson(boxes)));
        return JSON.writeValueAsBytes(n);
    }

    static final String BOUNDARY = "runaTestBoundary7MA4YWxkTrZu0gW";

    static String multipartType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }

    /** Parts {@code image} (a file) and {@code boxes} (JSON). */
    static byte[] multipartBody(byte[] image, String boxesJson) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"img.png\"\r\n"
                        + "Content-Type: image/png\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.write(image);
        out.write(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"boxes\"\r\n\r\n" + boxesJson
                        + "\r\n--" + BOUNDARY + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
