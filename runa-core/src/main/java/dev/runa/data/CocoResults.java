package dev.runa.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a COCO results file (a detector's output, e.g. Detectron2's {@code coco_instances_results.json}):
 * a JSON array of {@code {image_id, category_id, bbox [x, y, w, h], score}} with optional per-box
 * {@code inter_feat} (class logits) and {@code cls_prob}. The array is streamed one element at a time,
 * so files with hundreds of thousands of boxes do not need a full tree in memory.
 */
public final class CocoResults {
    private CocoResults() {}

    public static List<Detection> read(Path file) throws IOException {
        ObjectMapper mapper = JsonFields.mapper();
        JsonFields f = new JsonFields(file);
        List<Detection> out = new ArrayList<>();
        try (JsonParser parser = mapper.getFactory().createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw f.error("$", "expected a JSON array of detections");
            }
            int i = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() == null) {
                    throw f.error("$", "file ends inside the array");
                }
                JsonNode n = mapper.readTree(parser);
                String p = "$[" + i + "]";
                double score = f.number(n, p, "score");
                out.add(new Detection(
                        f.imageId(n, p, "image_id"),
                        f.integer(n, p, "category_id"),
                        f.xywhMaybeNonFinite(n, p, "bbox"),
                        score,
                        f.optionalFloats(n, p, "inter_feat"),
                        f.optionalFloats(n, p, "cls_prob")));
                i++;
            }
        } catch (JacksonException e) {
            throw JsonFields.notJson(file, e);
        }
        return out;
    }
}
