package dev.runa.selfcheck;

import java.util.List;

/**
 * Everything {@code runa selfcheck} found.
 *
 * @param model           the model's identity ({@code ORG/NAME@COMMIT}, a directory, {@code random:NAME})
 * @param checkpointScale the checkpoint's {@code exp(logit_scale)}
 * @param cases           one result per check, in the order run
 */
public record SelfCheckReport(String model, double checkpointScale, List<CaseResult> cases) {
    public SelfCheckReport {
        cases = List.copyOf(cases);
    }

    /** True when every check's fp32 probabilities are within its tolerance. */
    public boolean pass() {
        return !cases.isEmpty() && cases.stream().allMatch(c -> c.verdict().pass());
    }
}
