package dev.runa.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.ood.BoxResult;
import java.util.List;

/**
 * One JSON object per box per line. The first four keys are the {@code score} contract:
 * {@code {"file", "box": [x1, y1, x2, y2], "scores": {maxsim, mcm_t1, mcm_t0.01, sum, energy_t0.01},
 * "ood": true|false|null}}, then {@code best_class, crop [l, t, r, b], error, image_index, box_index,
 * n_boxes, image_id, category_id, label, confidence} (null where not applicable) and, with timing,
 * {@code ms}. {@code scores} is null when {@code error} is set.
 */
public final class JsonLinesFormat implements RowFormat {
    /** Every key of a row, in output order (without the optional {@code ms}). */
    public static final List<String> KEYS = List.of(
            "file",
            "box",
            "scores",
            "ood",
            "best_class",
            "crop",
            "error",
            "image_index",
            "box_index",
            "n_boxes",
            "image_id",
            "category_id",
            "label",
            "confidence");

    private final ObjectMapper json = new ObjectMapper();
    private final boolean timing;

    public JsonLinesFormat(boolean timing) {
        this.timing = timing;
    }

    @Override
    public String header() {
        return null;
    }

    @Override
    public String name() {
        return "jsonl";
    }

    @Override
    public String format(BoxRow row) {
        BoxResult r = row.result();
        ObjectNode n = json.createObjectNode();
        n.put("file", row.file());
        BoxJson.write(n, row.detected().box(), r, row.bestClass());
        n.put("image_index", row.imageIndex());
        n.put("box_index", row.boxIndex());
        n.put("n_boxes", row.nBoxes());
        n.put("image_id", row.imageId());
        n.put("category_id", row.detected().categoryId());
        n.put("label", row.detected().label());
        n.put("confidence", row.detected().confidence());
        if (timing) {
            n.put("ms", Math.round(r.millis() * 1000) / 1000.0);
        }
        try {
            return json.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a row as JSON", e);
        }
    }

    @Override
    public RowPosition position(String line) {
        JsonNode n;
        try {
            n = json.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON row: " + e.getOriginalMessage());
        }
        if (n == null
                || !n.isObject()
                || !n.path("image_index").isInt()
                || !n.path("box_index").isInt()
                || !n.path("n_boxes").isInt()) {
            throw new IllegalArgumentException("row lacks image_index, box_index or n_boxes");
        }
        return new RowPosition(
                n.get("image_index").asInt(),
                n.get("box_index").asInt(),
                n.get("n_boxes").asInt());
    }
}
