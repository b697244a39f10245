package dev.runa.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.data.Box;
import dev.runa.detect.DetectedObject;
import dev.runa.detect.DetectorGraph;
import dev.runa.detect.ObjectDetector;
import dev.runa.ood.BoxResult;
import dev.runa.ood.Calibration;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.ScoringSettings;
import dev.runa.output.BoxJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The service's JSON bodies. Each box object is written by {@link BoxJson}, the writer of
 * {@code runa score}'s rows, so both carry the same values; the service adds {@code similarities}
 * (per ID class, in {@code /v1/info}'s class order), and {@code /v1/detect} adds the detector's
 * {@code category_id}, {@code label} and {@code confidence} with the values {@code runa detect}'s
 * rows carry. Thread-safe.
 */
final class ServiceJson {
    private final ObjectMapper json;
    private final RunaDetector runa;
    private final ObjectDetector detector;
    private final List<String> labels;

    /** {@code detector} is null for a server started without one. */
    ServiceJson(ObjectMapper json, RunaDetector runa, ObjectDetector detector) {
        this.json = json;
        this.runa = runa;
        this.detector = detector;
        this.labels = runa.options().prompts().labels();
    }

    /** {@code {"model", "boxes": [{box, scores, ood, best_class, crop, error, similarities}], "ms"}}. */
    String score(ScoreRequest request, ScoredBoxes scored, double millis) {
        ObjectNode root = json.createObjectNode();
        root.put("model", runa.settings().model());
        ArrayNode boxes = root.putArray("boxes");
        for (int b = 0; b < request.boxes().size(); b++) {
            box(boxes.addObject(), request.boxes().get(b), scored, b);
        }
        root.put("ms", Math.round(millis * 1000) / 1000.0);
        return write(root);
    }

    /**
     * {@code {"model", "detector", "boxes": [{box, scores, ood, best_class, crop, error, similarities,
     * category_id, label, confidence}], "ms"}}: the {@code /v1/score} body of the detector's boxes,
     * best first, each with what the detector said. {@code confidence} is the detector's float32
     * score widened to double, as in {@code runa detect}'s rows.
     */
    String detect(List<DetectedObject> objects, ScoredBoxes scored, double millis) {
        ObjectNode root = json.createObjectNode();
        root.put("model", runa.settings().model());
        root.put("detector", detectorName());
        ArrayNode boxes = root.putArray("boxes");
        for (int b = 0; b < objects.size(); b++) {
            DetectedObject o = objects.get(b);
            ObjectNode n = boxes.addObject();
            box(n, o.box(), scored, b);
            n.put("category_id", o.classIndex());
            n.put("label", o.label());
            n.put("confidence", (double) o.score());
        }
        root.put("ms", Math.round(millis * 1000) / 1000.0);
        return write(root);
    }

    // One box object: BoxJson's fields, then the similarities.
    private void box(ObjectNode n, Box box, ScoredBoxes scored, int b) {
        BoxResult r = scored.results().get(b);
        String best = r.scores() == null ? null : labels.get(r.scores().bestClass());
        BoxJson.write(n, box, r, best);
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

    /** The detector file's name, without the server's directories. */
    String detectorName() {
        Path name = Path.of(detector.source()).getFileName();
        return name == null ? detector.source() : name.toString();
    }

    /**
     * Model identity, classes, prompts, lambda, precision, adapter, calibration, the detector (null
     * without one: file name, format, input size, class names, conf, iou, max_det) and batching settings.
     */
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
        if (detector == null) {
            root.putNull("detector");
        } else {
            DetectorGraph g = detector.graph();
            var o = detector.options(); // dev.runa.detect's, not this package's DetectorOptions
            ObjectNode det = root.putObject("detector");
            det.put("file", detectorName());
            det.put("format", g.format().key());
            if (g.inputWidth() > 0) {
                det.putArray("input").add(g.inputWidth()).add(g.inputHeight());
            } else {
                det.putNull("input");
            }
            ArrayNode names = det.putArray("classes");
            g.classNames().forEach(names::add);
            det.put("conf", o.conf());
            det.put("iou", o.iou());
            det.put("max_det", o.maxDet());
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
