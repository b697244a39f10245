package dev.runa.finetune;

import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;

/**
 * RUNA's fine-tuning objective (paper Eq. 7; docs/method.md section 5): the softmax contrastive loss of
 * the projected, L2-normalised regional feature against the K fixed class prompt embeddings,
 * averaged over a batch, and its gradient with respect to the projection matrix.
 *
 * <p>For one sample with pooled feature {@code r}, projection {@code W} ({@code [P, D]}),
 * {@code z = W r}, {@code e = z / ||z||}, logits {@code l_j = (e . t_j) / tau}:
 * {@code L = -log softmax(l)_y}. Backward: {@code dL/dl = softmax(l) - onehot(y)},
 * {@code dL/de = sum_j dL/dl_j t_j / tau}, through the normalisation
 * {@code dL/dz = (dL/de - e (e . dL/de)) / ||z||}, and {@code dL/dW = dL/dz r^T}.
 * The batch loss is the mean over samples (as PyTorch's {@code cross_entropy}).
 */
public final class ContrastiveLoss {
    private final float[][] prompts;
    private final double temperature;

    /**
     * @param promptEmbeddings K unit text embeddings (fixed during training)
     * @param temperature      tau; 0.01 (CLIP's logit scale 100) by default
     */
    public ContrastiveLoss(float[][] promptEmbeddings, double temperature) {
        if (promptEmbeddings.length < 2) {
            throw new IllegalArgumentException(
                    "contrastive loss needs at least 2 classes, got " + promptEmbeddings.length);
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
        this.prompts = promptEmbeddings.clone();
        this.temperature = temperature;
    }

    /** Number of classes. */
    public int classCount() {
        return prompts.length;
    }

    /**
     * Mean loss over the samples {@code idx} of a feature set, adding the gradient of that mean into
     * {@code grad} (row-major {@code [P, D]}) when it is not null.
     *
     * @param w        projection, row-major {@code [P, D]}
     * @param features pooled features, {@code [n][D]}
     * @param labels   class index per sample
     * @param idx      which samples form the batch
     * @param grad     gradient accumulator, or null for the loss alone
     */
    public double lossAndGradient(float[] w, int p, int d, float[][] features, int[] labels, int[] idx, double[] grad) {
        int b = idx.length;
        double[][] z = project(w, p, d, features, idx);
        float[][] dz = grad == null ? null : new float[b][p];
        double total = 0;
        double[] dlde = new double[p];
        double[] logits = new double[prompts.length];
        double scale = 1.0 / b;
        for (int k = 0; k < b; k++) {
            int s = idx[k];
            double[] zk = z[k];
            double norm2 = 0;
            for (int o = 0; o < p; o++) {
                norm2 += zk[o] * zk[o];
            }
            double norm = Math.sqrt(norm2);
            if (norm == 0) {
                throw new IllegalStateException("projected feature of sample " + s + " is zero");
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < prompts.length; j++) {
                double dot = 0;
                for (int o = 0; o < p; o++) {
                    dot += zk[o] * prompts[j][o];
                }
                logits[j] = dot / norm / temperature;
                max = Math.max(max, logits[j]);
            }
            double zsum = 0;
            for (int j = 0; j < logits.length; j++) {
                zsum += Math.exp(logits[j] - max);
            }
            double logZ = max + Math.log(zsum);
            int y = labels[s];
            total += logZ - logits[y];
            if (grad == null) {
                continue;
            }
            Arrays.fill(dlde, 0);
            for (int j = 0; j < logits.length; j++) {
                double g = Math.exp(logits[j] - logZ) - (j == y ? 1 : 0);
                double c = g / temperature;
                for (int o = 0; o < p; o++) {
                    dlde[o] += c * prompts[j][o];
                }
            }
            double eDotG = 0;
            for (int o = 0; o < p; o++) {
                eDotG += zk[o] / norm * dlde[o];
            }
            for (int o = 0; o < p; o++) {
                dz[k][o] = (float) ((dlde[o] - zk[o] / norm * eDotG) / norm * scale);
            }
        }
        if (grad != null) {
            accumulateOuterProducts(grad, dz, features, idx, p, d);
        }
        return total / b;
    }

    /** Below this many multiply-adds a pass runs on the calling thread (forking would cost more than it saves). */
    private static final long PARALLEL_WORK = 1L << 22;
    /** Output rows per parallel task. */
    private static final int ROWS_PER_TASK = 32;

    /**
     * Runs {@code rows(from, to)} over {@code [0, p)} in chunks, in parallel on the common pool when the pass
     * is large. Every output row is written by exactly one task, always with the same arithmetic, so the
     * result does not depend on the number of threads.
     */
    private static void forRows(int p, long work, BiConsumer<Integer, Integer> rows) {
        if (work < PARALLEL_WORK || p <= ROWS_PER_TASK) {
            rows.accept(0, p);
            return;
        }
        int tasks = (p + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream.range(0, tasks)
                .parallel()
                .forEach(t -> rows.accept(t * ROWS_PER_TASK, Math.min(p, (t + 1) * ROWS_PER_TASK)));
    }

    /**
     * {@code z_k = W r_k} for the batch, in double. Four samples share each pass over a row of W, so each
     * weight is loaded once per four products and the four sums are independent chains (the loop is
     * bound by add latency otherwise); about four times faster than one dot product at a time. Large
     * passes split the output rows across threads.
     */
    static double[][] project(float[] w, int p, int d, float[][] features, int[] idx) {
        int b = idx.length;
        double[][] z = new double[b][p];
        forRows(p, (long) b * p * d, (from, to) -> projectRows(w, d, features, idx, z, from, to));
        return z;
    }

    private static void projectRows(float[] w, int d, float[][] features, int[] idx, double[][] z, int from, int to) {
        int b = idx.length;
        int k = 0;
        for (; k + 4 <= b; k += 4) {
            float[] r0 = features[idx[k]];
            float[] r1 = features[idx[k + 1]];
            float[] r2 = features[idx[k + 2]];
            float[] r3 = features[idx[k + 3]];
            for (int o = from; o < to; o++) {
                int row = o * d;
                double a0 = 0;
                double a1 = 0;
                double a2 = 0;
                double a3 = 0;
                for (int i = 0; i < d; i++) {
                    float wv = w[row + i];
                    a0 += wv * r0[i];
                    a1 += wv * r1[i];
                    a2 += wv * r2[i];
                    a3 += wv * r3[i];
                }
                z[k][o] = a0;
                z[k + 1][o] = a1;
                z[k + 2][o] = a2;
                z[k + 3][o] = a3;
            }
        }
        for (; k < b; k++) {
            float[] r = features[idx[k]];
            for (int o = from; o < to; o++) {
                int row = o * d;
                double acc = 0;
                for (int i = 0; i < d; i++) {
                    acc += w[row + i] * r[i];
                }
                z[k][o] = acc;
            }
        }
    }

    /**
     * {@code grad += sum_k dz_k r_k^T}, row by row: a row's contributions are summed in a float buffer
     * (a loop HotSpot vectorises) and then added to the double accumulator. Float rounding of a sum of
     * at most a batch of terms is ~1e-7 relative per term, far below the finite-difference tolerances and
     * the optimiser's noise. Large passes split the rows across threads.
     */
    private static void accumulateOuterProducts(
            double[] grad, float[][] dz, float[][] features, int[] idx, int p, int d) {
        forRows(p, (long) idx.length * p * d, (from, to) -> {
            float[] row = new float[d];
            for (int o = from; o < to; o++) {
                Arrays.fill(row, 0f);
                for (int k = 0; k < idx.length; k++) {
                    float c = dz[k][o];
                    if (c == 0f) {
                        continue;
                    }
                    float[] r = features[idx[k]];
                    for (int i = 0; i < d; i++) {
                        row[i] += c * r[i];
                    }
                }
                int base = o * d;
                for (int i = 0; i < d; i++) {
                    grad[base + i] += row[i];
                }
            }
        });
    }
}
