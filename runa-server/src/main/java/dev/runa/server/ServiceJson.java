package dev.runa.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.ood.BoxResult;
import dev.runa.ood.Calibration;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.ScoringSettings;
import dev.runa.output.BoxJson;
import java.util.List;
import java.util.Locale;

/**
 * The service's JSON bodies. Each box object is written by {@link BoxJson}, the writer of
 * {@code runa score}'s rows, so both carry the same values; the service adds {@code similarities}
 * (per ID class, in {@code /v1/info}'s class order). Thread-safe.
 */
final class ServiceJson {
    private final ObjectMapper json;
    private final RunaDetector runa;
    private final List<String> labels;

    ServiceJson(ObjectMapper json, RunaDetector runa) {
        this.json = json;
        this.runa = runa;
        this.labels = runa.options().prompts().labels();
    }

    /** {@code {"model", "boxes": [{box, scores, ood, best_class, crop, error, similarities}], "ms"}}. */
    String score(ScoreRequest request, ScoredBoxes scored, double millis) {
        ObjectNode root = json.createObjectNode();
        root.put("model", runa.settings().model());
        ArrayNode boxes = root.putArray("boxes");
        for (int b = 0; b < request.boxes().size(); b++) {
            BoxResult r = scored.results().get(b);
            String best = r.scores() == null ? null : labels.get(r.scores().bestClass());
            ObjectNode n = boxes.addObject();
            BoxJson.write(n, request.boxes().get(b), r, best);
            double[] sims = scored.similarities().get(b);
            if (sims == null) {
                n.putNull("similarities");
            } else {
                ArrayNode s = n.putArray("similarities");
                for (double v : sims) {
                    s.add(v);
                }
            }
        }
        root.put("ms", Math.round(millis * 1000) / 1000.0);
        return write(root);
    }

    /** Model identity, classes, prompts, lambda, precision, adapter, calibration and batching settings. */
    String info(ServerConfig config) {
        ScoringSettings s = runa.settings();
        ObjectNode root = json.createObjectNode();
        root.put("model", s.model());
        ArrayNode classes = root.putArray("classes");
        labels.forEach(classes::add);
        ArrayNode prompts = root.putArray("prompts");
        s.prompts().forEach(prompts::add);
        root.put("lambda", s.lambda());
        root.put("fusion", s.fusion().name().toLowerCase(Locale.ROOT));
        root.put("views", s.views());
        root.put("precision", s.precision());
        root.put("adapter", s.adapter());
        Calibration c = runa.scorer().calibration();
        if (c == null) {
            root.putNull("calibration");
        } else {
            ObjectNode cal = root.putObject("calibration");
            cal.put("score", c.score().key());
            cal.put("threshold", c.threshold());
            cal.put("id_accept_rate", c.idAcceptRate());
        }
        root.put("max_batch", config.maxBatch());
        root.put("max_wait_ms", config.maxWaitMs());
        ObjectNode limits = root.putObject("limits");
        limits.put("max_body_bytes", config.limits().maxBodyBytes());
        limits.put("max_pixels", config.limits().maxPixels());
        limits.put("max_boxes", config.limits().maxBoxes());
        limits.put("queue_capacity", config.limits().queueCapacity());
        return write(root);
    }

    /** {@code {"error": message, "field": field-or-null}}. */
    String error(String message, String field) {
        ObjectNode root = json.createObjectNode();
        root.put("error", message);
        root.put("field", field);
        return write(root);
    }

    private String write(ObjectNode n) {
        try {
            return json.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
