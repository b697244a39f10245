package dev.runa.finetune;

/**
 * Hyper-parameters of the projection fine-tuning (docs/method.md section 5). {@link #paperDefaults()}
 * is the single place that decides the defaults.
 *
 * @param learningRate AdamW learning rate (paper: 5e-6)
 * @param weightDecay  AdamW decoupled weight decay (0.01)
 * @param batchSize    samples per step (paper: 256)
 * @param epochs       passes over the shots (paper: 100)
 * @param temperature  tau of the contrastive loss (0.01, CLIP's logit scale 100)
 * @param seed         seed of the per-epoch shuffling
 */
public record TrainingSettings(
        double learningRate, double weightDecay, int batchSize, int epochs, double temperature, long seed) {
    public TrainingSettings {
        AdamW.Settings.of(learningRate, weightDecay); // validates
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
    }

    /** The paper's settings: lr 5e-6, weight decay 0.01, batch 256, 100 epochs, tau 0.01, seed 0. */
    public static TrainingSettings paperDefaults() {
        return new TrainingSettings(5e-6, 0.01, 256, 100, 0.01, 0);
    }

    /** Same settings with another learning rate. */
    public TrainingSettings withLearningRate(double lr) {
        return new TrainingSettings(lr, weightDecay, batchSize, epochs, temperature, seed);
    }

    /** Same settings with another number of epochs. */
    public TrainingSettings withEpochs(int n) {
        return new TrainingSettings(learningRate, weightDecay, batchSize, n, temperature, seed);
    }
}
