package dev.runa.ood;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The ID scores computed from one embedding pass (docs/method.md section 4). Every score is an ID
 * score: higher means more in-distribution; the paper's uncertainty is its negation.
 */
public enum ScoreKind {
    /** RUNA (paper Eq. 6): the maximum cosine similarity to an ID prompt. */
    MAXSIM("maxsim"),
    /** MCM (Ming et al. 2022) at temperature 1: the largest softmax probability of the similarities. */
    MCM_T1("mcm_t1"),
    /** MCM at temperature 0.01 (CLIP's logit scale 100; the paper's "tau = 100"). */
    MCM_T001("mcm_t0.01"),
    /** Direct sum of the similarities (paper Eq. 5). */
    SUM("sum"),
    /** Energy {@code T * logsumexp(s / T)} at T = 0.01. */
    ENERGY_T001("energy_t0.01");

    private final String key;

    ScoreKind(String key) {
        this.key = key;
    }

    /** The key used in every output (JSON, CSV, reports). */
    public String key() {
        return key;
    }

    /** Parses a key such as {@code maxsim} or {@code mcm_t0.01}. */
    public static ScoreKind fromKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        for (ScoreKind s : values()) {
            if (s.key.equals(k)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown score '" + key + "' (known: "
                + Arrays.stream(values()).map(ScoreKind::key).collect(Collectors.joining(", ")) + ")");
    }
}
