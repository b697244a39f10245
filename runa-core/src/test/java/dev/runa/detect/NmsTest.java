package dev.runa.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Nms} against a brute-force reading of torchvision's batched_nms, on random boxes with many ties. */
class NmsTest {

    /**
     * Brute force, written from the definition rather than the algorithm: box i is kept iff no kept
     * box of its class ranks before it (higher score, or equal score and lower index) and overlaps
     * it by IoU > t. Ranks are resolved by scanning all boxes for the best unresolved one, O(n^3).
     */
    static int[] reference(float[] b, float[] s, int[] c, double t) {
        int n = s.length;
        boolean[] done = new boolean[n];
        List<Integer> kept = new ArrayList<>();
        for (int round = 0; round < n; round++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (!done[i] && (best < 0 || s[i] > s[best])) {
                    best = i; // strict '>' keeps the lowest index among equal scores
                }
            }
            done[best] = true;
            boolean suppressed = false;
            for (int k : kept) {
                if (c[k] == c[best] && iou(b, k, best) > t) {
                    suppressed = true;
                }
            }
            if (!suppressed) {
                kept.add(best);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    // torchvision's float32 IoU.
    static float iou(float[] b, int i, int j) {
        float w = Math.max(0f, Math.min(b[4 * i + 2], b[4 * j + 2]) - Math.max(b[4 * i], b[4 * j]));
        float h = Math.max(0f, Math.min(b[4 * i + 3], b[4 * j + 3]) - Math.max(b[4 * i + 1], b[4 * j + 1]));
        float inter = w * h;
        float ai = (b[4 * i + 2] - b[4 * i]) * (b[4 * i + 3] - b[4 * i + 1]);
        float aj = (b[4 * j + 2] - b[4 * j]) * (b[4 * j + 3] - b[4 * j + 1]);
        return inter / (ai + aj - inter);
    }

    @Test
    void equalsBruteForceWithTies() {
        Random r = new Random(13);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + r.nextInt(60);
            float[] b = new float[4 * n];
            float[] s = new float[n];
            int[] c = new int[n];
            for (int i = 0; i < n; i++) {
                // Coarse grids make identical boxes, identical scores and IoUs exactly at the threshold.
                float x = r.nextInt(8) * 5;
                float y = r.nextInt(8) * 5;
                b[4 * i] = x;
                b[4 * i + 1] = y;
                b[4 * i + 2] = x + 5 + r.nextInt(4) * 5;
                b[4 * i + 3] = y + 5 + r.nextInt(4) * 5;
                s[i] = r.nextInt(5) / 4f;
                c[i] = r.nextInt(3);
            }
            double t = new double[] {0.0, 0.25, 0.5, 0.7, 1.0}[trial % 5];
            assertArrayEquals(reference(b, s, c, t), Nms.batched(b, s, c, t), "trial " + trial);
        }
    }

    @Test
    void iouExactlyAtThresholdIsKept() {
        // Two boxes with IoU exactly 0.5: torchvision suppresses only when IoU > threshold.
        float[] b = {0, 0, 10, 10, 0, 0, 10, 5};
        assertArrayEquals(new int[] {0, 1}, Nms.batched(b, new float[] {0.9f, 0.8f}, new int[] {0, 0}, 0.5));
        assertArrayEquals(new int[] {0}, Nms.batched(b, new float[] {0.9f, 0.8f}, new int[] {0, 0}, 0.49));
        // Another class is never suppressed; ties come back by index.
        assertArrayEquals(new int[] {0, 1}, Nms.batched(b, new float[] {0.5f, 0.5f}, new int[] {0, 1}, 0.1));
    }
}
