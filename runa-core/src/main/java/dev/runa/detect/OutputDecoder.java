package dev.runa.detect;

import dev.runa.data.Box;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a detector's raw output into {@link DetectedObject}s in source pixels, as Ultralytics'
 * predictors do (float32 throughout): confidence filter ({@code score > conf}), the best class per
 * anchor (first maximum), {@code xywh2xyxy} as {@code (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)},
 * at most {@link DetectorOptions#MAX_NMS} boxes by score into class-aware {@link Nms}, {@code maxDet},
 * then {@link Letterbox#toSource} ({@code scale_boxes}). Stateless.
 */
final class OutputDecoder {
    private OutputDecoder() {}

    /** Candidates before NMS: input-pixel xyxy boxes, scores, classes, parallel arrays. */
    private static final class Candidates {
        float[] boxes = new float[64];
        float[] scores = new float[16];
        int[] classes = new int[16];
        int n;

        void add(float x1, float y1, float x2, float y2, float score, int cls) {
            if (n == scores.length) {
                boxes = Arrays.copyOf(boxes, boxes.length * 2);
                scores = Arrays.copyOf(scores, scores.length * 2);
                classes = Arrays.copyOf(classes, classes.length * 2);
            }
            boxes[4 * n] = x1;
            boxes[4 * n + 1] = y1;
            boxes[4 * n + 2] = x2;
            boxes[4 * n + 3] = y2;
            scores[n] = score;
            classes[n] = cls;
            n++;
        }
    }

    /**
     * Decodes a single-output format ({@code [1, a, b]}, row-major {@code data}).
     *
     * @param graph   the recognised graph (format, class names)
     * @param options thresholds
     * @param data    the output tensor's elements
     * @param shape   its actual shape
     * @param box     the letterbox the input was made with
     */
    static List<DetectedObject> decode(
            DetectorGraph graph, DetectorOptions options, float[] data, long[] shape, Letterbox box) {
        int a = (int) shape[1];
        int b = (int) shape[2];
        float conf = (float) options.conf();
        Candidates c = new Candidates();
        switch (graph.format()) {
            case YOLO_V8 -> {
                // [1, 4 + nc, anchors]: element (channel k, anchor i) at k * anchors + i.
                int nc = a - 4;
                for (int i = 0; i < b; i++) {
                    int best = 0;
                    float score = data[4 * b + i];
                    for (int k = 1; k < nc; k++) {
                        float v = data[(4 + k) * b + i];
                        if (v > score) {
                            score = v;
                            best = k;
                        }
                    }
                    if (score > conf) {
                        addXywh(c, data[i], data[b + i], data[2 * b + i], data[3 * b + i], score, best);
                    }
                }
            }
            case YOLO_V5 -> {
                // [1, anchors, 5 + nc]: class confidence = objectness * class score.
                int nc = b - 5;
                for (int i = 0; i < a; i++) {
                    int r = i * b;
                    float obj = data[r + 4];
                    if (!(obj > conf)) {
                        continue;
                    }
                    int best = 0;
                    float score = data[r + 5] * obj;
                    for (int k = 1; k < nc; k++) {
                        float v = data[r + 5 + k] * obj;
                        if (v > score) {
                            score = v;
                            best = k;
                        }
                    }
                    if (score > conf) {
                        addXywh(c, data[r], data[r + 1], data[r + 2], data[r + 3], score, best);
                    }
                }
            }
            case END_TO_END -> {
                List<DetectedObject> out = new ArrayList<>();
                for (int i = 0; i < a && out.size() < options.maxDet(); i++) {
                    int r = i * b;
                    if (data[r + 4] > conf) {
                        int cls = Math.round(data[r + 5]);
                        float[] src = box.toSource(new float[] {data[r], data[r + 1], data[r + 2], data[r + 3]});
                        out.add(object(graph, src, cls, data[r + 4]));
                    }
                }
                return out;
            }
            case RT_DETR -> {
                // Normalised cxcywh scaled by the source size, as Ultralytics' RTDETRPredictor (no NMS).
                int nc = b - 4;
                List<DetectedObject> out = new ArrayList<>();
                for (int i = 0; i < a; i++) {
                    int r = i * b;
                    int best = 0;
                    float score = data[r + 4];
                    for (int k = 1; k < nc; k++) {
                        if (data[r + 4 + k] > score) {
                            score = data[r + 4 + k];
                            best = k;
                        }
                    }
                    if (score > conf) {
                        float hw = data[r + 2] / 2;
                        float hh = data[r + 3] / 2;
                        float ow = box.srcW();
                        float oh = box.srcH();
                        float[] src = {
                            (data[r] - hw) * ow, (data[r + 1] - hh) * oh, (data[r] + hw) * ow, (data[r + 1] + hh) * oh
                        };
                        out.add(object(graph, src, best, score));
                    }
                }
                // Best first (stable), so max-det keeps the most confident queries.
                out.sort(Comparator.comparingDouble((DetectedObject o) -> -o.score()));
                return out.size() > options.maxDet() ? List.copyOf(out.subList(0, options.maxDet())) : out;
            }
            default -> throw new IllegalStateException("not a single-output format: " + graph.format());
        }
        return suppress(graph, options, c, box);
    }

    private static void addXywh(Candidates c, float cx, float cy, float w, float h, float score, int cls) {
        float hw = w / 2;
        float hh = h / 2;
        c.add(cx - hw, cy - hh, cx + hw, cy + hh, score, cls);
    }

    private static List<DetectedObject> suppress(
            DetectorGraph graph, DetectorOptions options, Candidates c, Letterbox box) {
        int n = c.n;
        float[] boxes = c.boxes;
        float[] scores = c.scores;
        int[] classes = c.classes;
        if (n > DetectorOptions.MAX_NMS) {
            // Ultralytics keeps the max_nms most confident candidates (by a sort of the scores).
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -c.scores[i]));
            int m = DetectorOptions.MAX_NMS;
            boxes = new float[4 * m];
            scores = new float[m];
            classes = new int[m];
            for (int k = 0; k < m; k++) {
                int i = order[k];
                System.arraycopy(c.boxes, 4 * i, boxes, 4 * k, 4);
                scores[k] = c.scores[i];
                classes[k] = c.classes[i];
            }
            n = m;
        } else {
            boxes = Arrays.copyOf(boxes, 4 * n);
            scores = Arrays.copyOf(scores, n);
            classes = Arrays.copyOf(classes, n);
        }
        int[] keep = Nms.batched(boxes, scores, classes, options.iou());
        List<DetectedObject> out = new ArrayList<>();
        for (int k = 0; k < keep.length && k < options.maxDet(); k++) {
            int i = keep[k];
            float[] src =
                    box.toSource(new float[] {boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]});
            out.add(object(graph, src, classes[i], scores[i]));
        }
        return out;
    }

    /**
     * Decodes a torchvision graph's outputs (already in source pixels, already suppressed): the
     * confidence filter and max-det only.
     */
    static List<DetectedObject> decodeTorchvision(
            DetectorGraph graph, DetectorOptions options, float[] boxes, long[] labels, float[] scores) {
        List<DetectedObject> out = new ArrayList<>();
        float conf = (float) options.conf();
        for (int i = 0; i < scores.length && out.size() < options.maxDet(); i++) {
            if (scores[i] > conf) {
                out.add(object(
                        graph,
                        new float[] {boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]},
                        (int) labels[i],
                        scores[i]));
            }
        }
        return out;
    }

    private static DetectedObject object(DetectorGraph graph, float[] xyxy, int cls, float score) {
        return new DetectedObject(new Box(xyxy[0], xyxy[1], xyxy[2], xyxy[3]), cls, graph.label(cls), score);
    }
}
