package dev.runa.clip.graph;

import java.util.Arrays;
import java.util.List;

/**
 * Largest absolute activation per channel at the inputs of each transformer block's matrix
 * products, over a set of calibration images: what SmoothQuant needs to move activation outliers
 * into the weights.
 *
 * @param ln1 [layer][width]: the attention block's LayerNorm output (input of q/k/v)
 * @param ctx [layer][width]: the attention output before {@code out_proj}
 * @param ln2 [layer][width]: the MLP's LayerNorm output (input of fc1)
 * @param mlp [layer][intermediate]: the QuickGELU output (input of fc2)
 */
public record ActivationStats(float[][] ln1, float[][] ctx, float[][] ln2, float[][] mlp) {
    /** The four measured points of a block, in the order of this record's components. */
    public static final List<String> POINTS = List.of("ln1", "ctx", "ln2", "mlp");

    /**
     * Name of the statistics graph's output holding {@code point}'s per-channel max |x| in block
     * {@code layer}: the one place that names these outputs, for the graph that writes them and the
     * calibration that reads them.
     */
    public static String outputName(String point, int layer) {
        if (!POINTS.contains(point)) {
            throw new IllegalArgumentException("unknown statistics point '" + point + "' (known: " + POINTS + ")");
        }
        return "stat_" + point + "_" + layer;
    }

    public ActivationStats {
        int layers = ln1.length;
        if (ctx.length != layers || ln2.length != layers || mlp.length != layers) {
            throw new IllegalArgumentException("activation statistics: layer counts differ");
        }
        ln1 = deepCopy(ln1);
        ctx = deepCopy(ctx);
        ln2 = deepCopy(ln2);
        mlp = deepCopy(mlp);
    }

    /** Statistics of no images yet: all zeros. */
    public static ActivationStats empty(int layers, int width, int intermediate) {
        return new ActivationStats(
                new float[layers][width],
                new float[layers][width],
                new float[layers][width],
                new float[layers][intermediate]);
    }

    /** Number of blocks. */
    public int layers() {
        return ln1.length;
    }

    /** Element-wise maximum of two sets of statistics (of the same architecture). */
    public ActivationStats max(ActivationStats o) {
        if (o.layers() != layers()) {
            throw new IllegalArgumentException(
                    "activation statistics of " + o.layers() + " and " + layers() + " layers");
        }
        return new ActivationStats(max(ln1, o.ln1), max(ctx, o.ctx), max(ln2, o.ln2), max(mlp, o.mlp));
    }

    @Override
    public float[][] ln1() {
        return deepCopy(ln1);
    }

    @Override
    public float[][] ctx() {
        return deepCopy(ctx);
    }

    @Override
    public float[][] ln2() {
        return deepCopy(ln2);
    }

    @Override
    public float[][] mlp() {
        return deepCopy(mlp);
    }

    float[] ln1(int layer) {
        return ln1[layer];
    }

    float[] ctx(int layer) {
        return ctx[layer];
    }

    float[] ln2(int layer) {
        return ln2[layer];
    }

    private static float[][] max(float[][] a, float[][] b) {
        float[][] r = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != b[i].length) {
                throw new IllegalArgumentException("activation statistics: layer " + i + " widths differ");
            }
            r[i] = new float[a[i].length];
            for (int j = 0; j < r[i].length; j++) {
                r[i][j] = Math.max(a[i][j], b[i][j]);
            }
        }
        return r;
    }

    private static float[][] deepCopy(float[][] a) {
        return Arrays.stream(a).map(float[]::clone).toArray(float[][]::new);
    }
}
