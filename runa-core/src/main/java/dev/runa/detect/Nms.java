package dev.runa.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Class-aware non-maximum suppression with the semantics of {@code torchvision.ops.batched_nms}
 * (its per-class path, {@code _batched_nms_vanilla}, which computes IoU on the boxes as given
 * rather than on class-offset copies), in float32 as torchvision's CPU kernel:
 *
 * <ul>
 *   <li>within a class, boxes are visited by decreasing score; ties keep input order (PyTorch's
 *       stable sort);
 *   <li>a visited box that is not suppressed is kept and suppresses every later box of its class
 *       whose IoU with it is strictly greater than the threshold;
 *   <li>{@code area = (x2 - x1) * (y2 - y1)}, {@code inter = max(0, xx2 - xx1) * max(0, yy2 - yy1)},
 *       {@code iou = inter / (area_i + area_j - inter)};
 *   <li>the kept indices come back by decreasing score, ties by increasing index.
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class Nms {
    private Nms() {}

    /**
     * Indices of the boxes kept.
     *
     * @param boxes   {@code n x 4} xyxy, row-major
     * @param scores  {@code n} scores
     * @param classes {@code n} class indices; only boxes of one class suppress each other
     * @param iou     IoU threshold (compared in double, as torchvision does): a box overlapping a kept one
     *                by more than this is dropped
     */
    public static int[] batched(float[] boxes, float[] scores, int[] classes, double iou) {
        int n = scores.length;
        if (boxes.length != 4 * n || classes.length != n) {
            throw new IllegalArgumentException(
                    "nms: " + boxes.length / 4 + " boxes, " + n + " scores, " + classes.length + " classes");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Arrays.sort on objects is stable: equal scores keep input order.
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i]));
        boolean[] suppressed = new boolean[n];
        List<Integer> keep = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            int i = order[a];
            if (suppressed[i]) {
                continue;
            }
            keep.add(i);
            float ix1 = boxes[4 * i];
            float iy1 = boxes[4 * i + 1];
            float ix2 = boxes[4 * i + 2];
            float iy2 = boxes[4 * i + 3];
            float iarea = (ix2 - ix1) * (iy2 - iy1);
            for (int b = a + 1; b < n; b++) {
                int j = order[b];
                if (suppressed[j] || classes[j] != classes[i]) {
                    continue;
                }
                float xx1 = Math.max(ix1, boxes[4 * j]);
                float yy1 = Math.max(iy1, boxes[4 * j + 1]);
                float xx2 = Math.min(ix2, boxes[4 * j + 2]);
                float yy2 = Math.min(iy2, boxes[4 * j + 3]);
                float w = Math.max(0f, xx2 - xx1);
                float h = Math.max(0f, yy2 - yy1);
                float inter = w * h;
                float jarea = (boxes[4 * j + 2] - boxes[4 * j]) * (boxes[4 * j + 3] - boxes[4 * j + 1]);
                float ovr = inter / (iarea + jarea - inter);
                if (ovr > iou) {
                    suppressed[j] = true;
                }
            }
        }
        // Visiting all classes in one global score order keeps each class's own order, and the kept
        // list is already by decreasing score with ties by index: torchvision's final ordering.
        return keep.stream().mapToInt(Integer::intValue).toArray();
    }
}
