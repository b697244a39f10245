package dev.runa.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Typed access to JSON tree fields with errors that name the file and the JSON path. */
final class JsonFields {
    private final Path file;

    JsonFields(Path file) {
        this.file = file;
    }

    /**
     * A mapper that reads JSON as Python's {@code json.dump} writes it: {@code NaN}, {@code Infinity}
     * and {@code -Infinity} are numbers.
     */
    static ObjectMapper mapper() {
        return JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
    }

    /** The whole file as a JSON tree (null for an empty file); invalid JSON is an error naming the file. */
    static JsonNode readTree(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return mapper().readTree(in);
        } catch (JacksonException e) {
            throw notJson(file, e);
        }
    }

    /**
     * Invalid JSON in the user's terms: what was found, and where (line, column), without Jackson's
     * advice about its own features.
     */
    static MalformedDataException notJson(Path file, JacksonException e) {
        String msg = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
        int nl = msg.indexOf('\n');
        if (nl >= 0) {
            msg = msg.substring(0, nl);
        }
        msg = msg.replaceAll("[:;,]?\\s*(to allow|enable|use) `[^`]*`.*$", "")
                .replaceAll("\\s*\\(code \\d+\\)", "")
                .strip();
        String where = e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
        return new MalformedDataException(file + ": not valid JSON" + where + ": " + msg, e);
    }

    MalformedDataException error(String path, String problem) {
        return new MalformedDataException(file + " at " + path + ": " + problem);
    }

    JsonNode required(JsonNode obj, String path, String field) throws MalformedDataException {
        if (obj == null || !obj.isObject()) {
            throw error(path, "expected an object");
        }
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            throw error(path + "." + field, "missing");
        }
        return v;
    }

    JsonNode array(JsonNode obj, String path, String field) throws MalformedDataException {
        JsonNode v = required(obj, path, field);
        if (!v.isArray()) {
            throw error(path + "." + field, "expected an array, found " + v.getNodeType());
        }
        return v;
    }

    int integer(JsonNode obj, String path, String field) throws MalformedDataException {
        JsonNode v = required(obj, path, field);
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.intValue();
        }
        if (v.isNumber()
                && v.doubleValue() == Math.rint(v.doubleValue())
                && Math.abs(v.doubleValue()) < Integer.MAX_VALUE) {
            return (int) v.doubleValue(); // some writers emit 3.0 for integers
        }
        throw error(path + "." + field, "expected an integer, found " + v);
    }

    double number(JsonNode obj, String path, String field) throws MalformedDataException {
        JsonNode v = required(obj, path, field);
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw error(path + "." + field, "expected a finite number, found " + v);
        }
        return v.doubleValue();
    }

    String text(JsonNode obj, String path, String field) throws MalformedDataException {
        JsonNode v = required(obj, path, field);
        if (!v.isTextual()) {
            throw error(path + "." + field, "expected a string, found " + v);
        }
        return v.textValue();
    }

    /** An image id: an integer or a string, normalised to text (integers in decimal). */
    String imageId(JsonNode obj, String path, String field) throws MalformedDataException {
        JsonNode v = required(obj, path, field);
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue().toString();
        }
        throw error(path + "." + field, "expected an integer or string image id, found " + v);
    }

    /**
     * A detector's COCO {@code [x, y, w, h]}: like {@link #xywh(JsonNode, String, String)} but NaN and infinite values (which
     * Python writes for a diverged detector) pass as they are, so that the box becomes an error row
     * of its own instead of failing the whole file.
     */
    Box xywhMaybeNonFinite(JsonNode obj, String path, String field) throws MalformedDataException {
        return xywh(obj, path, field, true);
    }

    /** COCO {@code [x, y, w, h]} as a pixel xyxy box. */
    Box xywh(JsonNode obj, String path, String field) throws MalformedDataException {
        return xywh(obj, path, field, false);
    }

    private Box xywh(JsonNode obj, String path, String field, boolean nonFiniteAllowed) throws MalformedDataException {
        JsonNode v = array(obj, path, field);
        String p = path + "." + field;
        if (v.size() != 4) {
            throw error(p, "expected [x, y, width, height], found " + v.size() + " values");
        }
        double[] c = new double[4];
        for (int i = 0; i < 4; i++) {
            JsonNode n = v.get(i);
            if (!n.isNumber() || !(nonFiniteAllowed || Double.isFinite(n.doubleValue()))) {
                throw error(
                        p + "[" + i + "]",
                        (nonFiniteAllowed ? "expected a number" : "expected a finite number") + ", found " + n);
            }
            c[i] = n.doubleValue();
        }
        if (c[2] < 0 || c[3] < 0) {
            throw error(p, "negative width or height " + v);
        }
        return Box.fromXywh(c[0], c[1], c[2], c[3]);
    }

    /** An optional array of numbers as floats; null when absent. */
    float[] optionalFloats(JsonNode obj, String path, String field) throws MalformedDataException {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw error(path + "." + field, "expected an array of numbers, found " + v.getNodeType());
        }
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = v.get(i);
            if (!x.isNumber()) {
                throw error(path + "." + field + "[" + i + "]", "expected a number, found " + x);
            }
            out[i] = x.floatValue();
        }
        return out;
    }
}
