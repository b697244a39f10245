package dev.runa.ood;

/** Where the regional and global features are combined (docs/method.md section 3). */
public enum FusionMode {
    /** The paper's Eq. 3: fuse pooled features, then project once: {@code e = norm(P(lambda r + (1-lambda) g))}. */
    EARLY,
    /**
     * Project each view, then fuse: {@code e = norm(lambda P_r(r) + (1-lambda) P_g(g))}, with the
     * fine-tuned projection on the regional branch and the pretrained one on the global branch.
     */
    LATE
}
