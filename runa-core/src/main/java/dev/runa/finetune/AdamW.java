package dev.runa.finetune;

/**
 * AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019) with PyTorch's
 * {@code torch.optim.AdamW} update order: decay {@code w *= 1 - lr * wd}, then the bias-corrected
 * Adam step {@code w -= lr * m_hat / (sqrt(v_hat) + eps)}. Holds the moment estimates of one
 * parameter vector; not thread-safe.
 */
public final class AdamW {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final double[] m;
    private final double[] v;
    private int step;

    /**
     * @param size        number of parameters
     * @param settings    learning rate, betas, eps and weight decay
     */
    public AdamW(int size, Settings settings) {
        this.lr = settings.learningRate();
        this.beta1 = settings.beta1();
        this.beta2 = settings.beta2();
        this.eps = settings.eps();
        this.weightDecay = settings.weightDecay();
        this.m = new double[size];
        this.v = new double[size];
    }

    /**
     * Optimiser settings.
     *
     * @param learningRate step size (the paper's 5e-6)
     * @param beta1        first-moment decay (0.9)
     * @param beta2        second-moment decay (0.999)
     * @param eps          denominator guard (1e-8)
     * @param weightDecay  decoupled weight decay (0.01)
     */
    public record Settings(double learningRate, double beta1, double beta2, double eps, double weightDecay) {
        public Settings {
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
            }
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("betas must lie in [0, 1), got " + beta1 + ", " + beta2);
            }
            if (!(weightDecay >= 0)) {
                throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
            }
        }

        /** PyTorch's defaults for betas and eps with the given learning rate and weight decay. */
        public static Settings of(double learningRate, double weightDecay) {
            return new Settings(learningRate, 0.9, 0.999, 1e-8, weightDecay);
        }
    }

    /** Number of steps taken so far. */
    public int steps() {
        return step;
    }

    /** Applies one update to {@code w} in place with gradient {@code grad}. */
    public void step(float[] w, double[] grad) {
        if (w.length != m.length || grad.length != m.length) {
            throw new IllegalArgumentException("parameter/gradient size " + w.length + "/" + grad.length
                    + " does not match optimiser size " + m.length);
        }
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        double decay = 1 - lr * weightDecay;
        for (int i = 0; i < w.length; i++) {
            double g = grad[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            double mHat = m[i] / bc1;
            double vHat = v[i] / bc2;
            w[i] = (float) (w[i] * decay - lr * mHat / (Math.sqrt(vHat) + eps));
        }
    }
}
