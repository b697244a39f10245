package dev.runa.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.data.Box;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;

/**
 * Reads the two forms of {@code POST /v1/score} from a complete body: {@code multipart/form-data}
 * with parts {@code image} (the file) and {@code boxes} (JSON {@code [[x1,y1,x2,y2], ...]}), or
 * {@code application/json} {@code {"image": "<base64>", "boxes": [...]}}; and the same two forms
 * without boxes for {@code POST /v1/detect}. Multipart is parsed by Jetty's parser. Every refusal is
 * an {@link ApiException} naming the field. Thread-safe.
 */
final class ScoreRequestParser {
    private final ObjectMapper json;
    private final int maxBoxes;

    ScoreRequestParser(ObjectMapper json, int maxBoxes) {
        this.json = json;
        this.maxBoxes = maxBoxes;
    }

    /** A {@code /v1/score} request: the image and its boxes. */
    ScoreRequest parse(String contentType, byte[] body) {
        return read(contentType, body, true);
    }

    /**
     * A {@code /v1/detect} request: the image file's bytes alone. A {@code boxes} field is refused
     * rather than ignored, since the detector finds the boxes and a client sending some expects
     * them to be used.
     */
    byte[] image(String contentType, byte[] body) {
        return read(contentType, body, false).image();
    }

    private ScoreRequest read(String contentType, byte[] body, boolean withBoxes) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json")) {
            return fromJson(body, withBoxes);
        }
        if (type.startsWith("multipart/form-data")) {
            return fromMultipart(contentType, body, withBoxes);
        }
        throw new ApiException(
                415,
                "Content-Type must be multipart/form-data or application/json, got "
                        + (contentType == null ? "none" : "'" + contentType + "'"),
                "Content-Type");
    }

    private ScoreRequest fromJson(byte[] body, boolean withBoxes) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new ApiException(400, "body is not valid JSON: " + shortMessage(e), null);
        }
        if (root == null || !root.isObject()) {
            throw new ApiException(
                    400,
                    withBoxes
                            ? "body must be a JSON object {\"image\": \"<base64>\", \"boxes\": [...]}"
                            : "body must be a JSON object {\"image\": \"<base64>\"}",
                    null);
        }
        JsonNode image = root.get("image");
        if (image == null || !image.isTextual()) {
            throw new ApiException(400, "'image' must be the image file as a base64 string", "image");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(image.asText());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "'image' is not valid base64: " + e.getMessage(), "image");
        }
        if (!withBoxes) {
            refuseBoxes(root.has("boxes"));
            return new ScoreRequest(bytes, List.of());
        }
        return new ScoreRequest(bytes, boxes(root.get("boxes")));
    }

    private ScoreRequest fromMultipart(String contentType, byte[] body, boolean withBoxes) {
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null || boundary.isEmpty()) {
            throw new ApiException(400, "multipart/form-data without a boundary", "Content-Type");
        }
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        // Everything stays in memory: the body was already read within the size limit.
        parser.setMaxMemoryFileSize(body.length + 1L);
        parser.setMaxLength(body.length + 1L);
        parser.setMaxParts(16);
        MultiPartFormData.Parts parts;
        try {
            parts = parser.parse(Content.Source.from(ByteBuffer.wrap(body))).get();
        } catch (ExecutionException e) {
            throw new ApiException(400, "malformed multipart body: " + shortMessage(e.getCause()), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while reading the request", null);
        }
        try (parts) {
            MultiPart.Part image = parts.getFirst("image");
            if (image == null) {
                throw new ApiException(400, "multipart body lacks the part 'image'", "image");
            }
            MultiPart.Part boxes = parts.getFirst("boxes");
            if (!withBoxes) {
                refuseBoxes(boxes != null);
                return new ScoreRequest(bytesOf(image), List.of());
            }
            if (boxes == null) {
                throw new ApiException(400, "multipart body lacks the part 'boxes'", "boxes");
            }
            byte[] bytes = bytesOf(image);
            JsonNode list;
            try {
                list = json.readTree(boxes.getContentAsString(StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new ApiException(400, "'boxes' is not valid JSON: " + shortMessage(e), "boxes");
            }
            return new ScoreRequest(bytes, boxes(list));
        }
    }

    private static void refuseBoxes(boolean given) {
        if (given) {
            throw new ApiException(
                    400,
                    "/v1/detect takes the image alone: the detector finds the boxes (to score given boxes, use"
                            + " /v1/score)",
                    "boxes");
        }
    }

    private static byte[] bytesOf(MultiPart.Part part) {
        try {
            ByteBuffer b = Content.Source.asByteBuffer(part.getContentSource());
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (IOException e) {
            throw new ApiException(400, "cannot read the part 'image': " + shortMessage(e), "image");
        }
    }

    /** {@code [[x1, y1, x2, y2], ...]}: numbers only; inverted or empty boxes are kept (scored as errors). */
    private List<Box> boxes(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new ApiException(400, "'boxes' is missing: give [[x1, y1, x2, y2], ...]", "boxes");
        }
        if (!node.isArray()) {
            throw new ApiException(400, "'boxes' must be a JSON array [[x1, y1, x2, y2], ...]", "boxes");
        }
        if (node.size() > maxBoxes) {
            throw new ApiException(413, node.size() + " boxes, more than the limit of " + maxBoxes, "boxes");
        }
        List<Box> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode b = node.get(i);
            String field = "boxes[" + i + "]";
            if (!b.isArray() || b.size() != 4) {
                throw new ApiException(400, field + " must be [x1, y1, x2, y2]", field);
            }
            double[] v = new double[4];
            for (int k = 0; k < 4; k++) {
                if (!b.get(k).isNumber()) {
                    throw new ApiException(400, field + "[" + k + "] is not a number", field);
                }
                v[k] = b.get(k).asDouble();
                if (!Double.isFinite(v[k])) {
                    throw new ApiException(400, field + "[" + k + "] is not finite", field);
                }
            }
            out.add(new Box(v[0], v[1], v[2], v[3]));
        }
        return out;
    }

    private static String shortMessage(Throwable e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }
}
