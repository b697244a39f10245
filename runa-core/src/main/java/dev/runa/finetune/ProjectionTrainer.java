package dev.runa.finetune;

import dev.runa.ood.Projection;
import java.util.Arrays;
import java.util.Random;

/**
 * Trains only CLIP's image projection on cached, frozen pooled features of labelled regions
 * (paper Eq. 7): the backbone never runs here, so an epoch is a few matrix products. Holds only
 * configuration; each {@link #train} call is independent.
 */
public final class ProjectionTrainer {
    private final TrainingSettings settings;

    public ProjectionTrainer(TrainingSettings settings) {
        this.settings = settings;
    }

    /** Called after every epoch with its mean training loss (e.g. for a progress bar or held-out accuracy). */
    @FunctionalInterface
    public interface EpochListener {
        void epochDone(int epoch, double meanLoss, Projection current);
    }

    /**
     * The trained projection and the loss before training and after each epoch.
     *
     * @param projection  the fine-tuned projection
     * @param initialLoss mean loss of the initial projection over all samples
     * @param epochLosses mean loss over all samples after each epoch
     */
    public record Result(Projection projection, double initialLoss, double[] epochLosses) {
        /** Loss after the last epoch (the initial loss when no epoch ran). */
        public double finalLoss() {
            return epochLosses.length == 0 ? initialLoss : epochLosses[epochLosses.length - 1];
        }
    }

    /**
     * Fine-tunes {@code initial} on the samples.
     *
     * @param features pooled regional features {@code [n][D]}
     * @param labels   class index of each sample, in {@code [0, K)}
     * @param prompts  K unit prompt embeddings of size P
     * @param initial  the pretrained projection {@code [P, D]}
     * @param listener notified after each epoch, may be null
     */
    public Result train(
            float[][] features, int[] labels, float[][] prompts, Projection initial, EpochListener listener) {
        int n = features.length;
        if (n == 0) {
            throw new IllegalArgumentException("no training samples");
        }
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " features but " + labels.length + " labels");
        }
        int p = initial.outDim();
        int d = initial.inDim();
        for (int i = 0; i < n; i++) {
            if (features[i].length != d) {
                throw new IllegalArgumentException(
                        "feature " + i + " has size " + features[i].length + ", expected " + d);
            }
            if (labels[i] < 0 || labels[i] >= prompts.length) {
                throw new IllegalArgumentException("label " + labels[i] + " of sample " + i
                        + " is not a class index in [0, " + prompts.length + ")");
            }
        }
        ContrastiveLoss loss = new ContrastiveLoss(prompts, settings.temperature());
        float[] w = initial.weight();
        AdamW opt = new AdamW(w.length, AdamW.Settings.of(settings.learningRate(), settings.weightDecay()));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random rng = new Random(settings.seed());
        double[] grad = new double[w.length];
        double[] epochLosses = new double[settings.epochs()];
        // When one batch holds every sample, the loss of that batch before a step is the loss after the
        // previous epoch, so it is taken from there instead of a separate evaluation pass: a third fewer
        // matrix products (it is the common few-shot case: 10 shots x 20 classes < 256).
        boolean fullBatch = n <= settings.batchSize();
        double initialLoss = fullBatch && settings.epochs() > 0
                ? Double.NaN
                : loss.lossAndGradient(w, p, d, features, labels, order, null);
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            shuffle(order, rng);
            for (int start = 0; start < n; start += settings.batchSize()) {
                int[] batch = Arrays.copyOfRange(order, start, Math.min(n, start + settings.batchSize()));
                Arrays.fill(grad, 0);
                double before = loss.lossAndGradient(w, p, d, features, labels, batch, grad);
                if (fullBatch) {
                    if (epoch == 0) {
                        initialLoss = before;
                    } else {
                        epochDone(epoch - 1, before, epochLosses, w, p, d, listener);
                    }
                }
                opt.step(w, grad);
            }
            if (!fullBatch || epoch == settings.epochs() - 1) {
                epochDone(
                        epoch,
                        loss.lossAndGradient(w, p, d, features, labels, order, null),
                        epochLosses,
                        w,
                        p,
                        d,
                        listener);
            }
        }
        return new Result(new Projection(w, p, d), initialLoss, epochLosses);
    }

    private static void epochDone(
            int epoch, double meanLoss, double[] epochLosses, float[] w, int p, int d, EpochListener listener) {
        epochLosses[epoch] = meanLoss;
        if (listener != null) {
            listener.epochDone(epoch + 1, meanLoss, new Projection(w, p, d));
        }
    }

    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
