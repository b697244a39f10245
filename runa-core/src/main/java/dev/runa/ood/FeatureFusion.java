package dev.runa.ood;

/**
 * Combines the pooled features of a box's regional view {@code r} and global view {@code g} into
 * one unit embedding (RUNA's dual encoder, paper Eq. 3). {@code lambda = 1} is the regional-only
 * encoder (RE), {@code lambda = 0} the global-only encoder (GE).
 *
 * @param lambda   weight of the regional view, in [0, 1]
 * @param mode     early (paper) or late fusion
 * @param regional projection applied to the fused feature (early) or to {@code r} (late); the
 *                 fine-tuned one when an adapter is loaded
 * @param global   projection applied to {@code g} in late fusion (the pretrained one); unused in early fusion
 */
public record FeatureFusion(double lambda, FusionMode mode, Projection regional, Projection global) {
    /** Default weight of the regional view (docs/method.md section 3). */
    public static final double DEFAULT_LAMBDA = 0.5;

    public FeatureFusion {
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda must lie in [0, 1], got " + lambda);
        }
        if (regional.inDim() != global.inDim() || regional.outDim() != global.outDim()) {
            throw new IllegalArgumentException("regional and global projections differ in shape");
        }
    }

    /** True when the global view contributes, i.e. it must be computed at all. */
    public boolean needsGlobal() {
        return lambda < 1;
    }

    /** True when the regional view contributes. */
    public boolean needsRegional() {
        return lambda > 0;
    }

    /**
     * The unit embedding of one box. A view that does not contribute (weight 0) may be passed as null.
     */
    public float[] embed(float[] r, float[] g) {
        int d = regional.inDim();
        return switch (mode) {
            case EARLY -> {
                float[] f = new float[d];
                for (int i = 0; i < d; i++) {
                    double ri = needsRegional() ? r[i] : 0;
                    double gi = needsGlobal() ? g[i] : 0;
                    f[i] = (float) (lambda * ri + (1 - lambda) * gi);
                }
                yield Projection.normalize(regional.apply(f));
            }
            case LATE -> {
                float[] pr = needsRegional() ? regional.apply(r) : new float[regional.outDim()];
                float[] pg = needsGlobal() ? global.apply(g) : new float[global.outDim()];
                float[] e = new float[pr.length];
                for (int i = 0; i < e.length; i++) {
                    e[i] = (float) (lambda * pr[i] + (1 - lambda) * pg[i]);
                }
                yield Projection.normalize(e);
            }
        };
    }
}
