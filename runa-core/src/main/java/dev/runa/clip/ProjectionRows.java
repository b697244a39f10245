package dev.runa.clip;

import dev.runa.clip.checkpoint.CheckpointException;
import dev.runa.clip.checkpoint.WeightSource;
import java.nio.FloatBuffer;
import java.util.Arrays;

/** Reads a projection weight ([out, in], PyTorch Linear layout) into heap rows. */
final class ProjectionRows {
    private ProjectionRows() {}

    static float[][] of(WeightSource weights, String name, int out, int in) {
        var t = weights.tensor(name);
        if (!Arrays.equals(t.shape(), new long[] {out, in})) {
            throw new CheckpointException(weights.description() + ": tensor '" + name + "' has shape "
                    + Arrays.toString(t.shape()) + ", expected [" + out + ", " + in + "]");
        }
        FloatBuffer f = t.asFloats();
        float[][] rows = new float[out][in];
        for (int i = 0; i < out; i++) {
            f.get(i * in, rows[i]);
        }
        return rows;
    }
}
