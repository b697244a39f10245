package dev.runa.finetune;

/**
 * RUNA's fine-tuning objective (paper Eq. 7; design doc section 5): the softmax contrastive loss of
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
            throw new IllegalArgumentException("contrastive loss needs at least 2 classes, got " + promptEmbeddings.length);
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
        double total = 0;
        double[] z = new double[p];
        double[] dlde = new double[p];
        double[] logits = new double[prompts.length];
        for (int s : idx) {
            float[] r = features[s];
            double norm2 = 0;
            for (int o = 0; o < p; o++) {
                double acc = 0;
                int row = o * d;
                for (int i = 0; i < d; i++) {
                    acc += w[row + i] * r[i];
                }
                z[o] = acc;
                norm2 += acc * acc;
            }
            double norm = Math.sqrt(norm2);
            if (norm == 0) {
                throw new IllegalStateException("projected feature of sample " + s + " is zero");
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < prompts.length; j++) {
                double dot = 0;
                for (int o = 0; o < p; o++) {
                    dot += z[o] * prompts[j][o];
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
            java.util.Arrays.fill(dlde, 0);
            for (int j = 0; j < logits.length; j++) {
                double g = Math.exp(logits[j] - logZ) - (j == y ? 1 : 0);
                double c = g / temperature;
                for (int o = 0; o < p; o++) {
                    dlde[o] += c * prompts[j][o];
                }
            }
            double eDotG = 0;
            for (int o = 0; o < p; o++) {
                eDotG += z[o] / norm * dlde[o];
            }
            double scale = 1.0 / idx.length;
            for (int o = 0; o < p; o++) {
                double dz = (dlde[o] - z[o] / norm * eDotG) / norm * scale;
                int row = o * d;
                for (int i = 0; i < d; i++) {
                    grad[row + i] += dz * r[i];
                }
            }
        }
        return total / idx.length;
    }
}
