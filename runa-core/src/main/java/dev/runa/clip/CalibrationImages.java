package dev.runa.clip;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Preprocessed images whose activations calibrate int8 smoothing when the user gives none:
 * seeded, smooth random colour fields with fine noise, normalised like CLIP's inputs, so that
 * their statistics exercise the same channels natural images do (the outlier channels of a CLIP
 * model come from its LayerNorm gains and weights, not from the image content).
 */
public final class CalibrationImages {
    /** Images used by default: enough for a stable per-channel max, cheap next to building the graph. */
    public static final int DEFAULT_COUNT = 4;

    private CalibrationImages() {}

    /** {@code count} synthetic images of [3, size, size] floats (normalised), deterministic in {@code seed}. */
    public static List<float[]> synthetic(int size, int count, long seed) {
        Random r = new Random(seed);
        List<float[]> out = new ArrayList<>(count);
        int grid = 5;
        for (int i = 0; i < count; i++) {
            float[] img = new float[3 * size * size];
            for (int c = 0; c < 3; c++) {
                double[] knots = new double[grid * grid];
                for (int k = 0; k < knots.length; k++) {
                    knots[k] = r.nextDouble();
                }
                for (int y = 0; y < size; y++) {
                    double gy = (double) y / Math.max(1, size - 1) * (grid - 1);
                    int y0 = Math.min((int) gy, grid - 2);
                    double fy = gy - y0;
                    for (int x = 0; x < size; x++) {
                        double gx = (double) x / Math.max(1, size - 1) * (grid - 1);
                        int x0 = Math.min((int) gx, grid - 2);
                        double fx = gx - x0;
                        double v = (1 - fy) * ((1 - fx) * knots[y0 * grid + x0] + fx * knots[y0 * grid + x0 + 1])
                                + fy * ((1 - fx) * knots[(y0 + 1) * grid + x0] + fx * knots[(y0 + 1) * grid + x0 + 1]);
                        v = Math.max(0, Math.min(1, v + 0.08 * r.nextGaussian()));
                        img[(c * size + y) * size + x] =
                                (float) ((v - ClipImagePreprocessor.CLIP_MEAN[c]) / ClipImagePreprocessor.CLIP_STD[c]);
                    }
                }
            }
            out.add(img);
        }
        return out;
    }
}
