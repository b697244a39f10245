package dev.runa.selfcheck;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The outcome of one {@link ZeroShotCase}.
 *
 * @param check         what was checked
 * @param logitScale    the scale the logits were computed with
 * @param probabilities fp32 probabilities, one per label of the check, in label order
 * @param verdict       fp32 against the expected probabilities
 * @param int8          the int8 vision encoder's drift, or null when int8 was not run
 */
public record CaseResult(
        ZeroShotCase check, double logitScale, List<Double> probabilities, Comparison verdict, Int8Drift int8) {

    public CaseResult {
        probabilities = List.copyOf(probabilities);
    }

    /**
     * How far int8 moves the probabilities.
     *
     * @param probabilities     int8 probabilities, in label order
     * @param maxAbsDifference  max |p_int8 - p_fp32| over all labels
     * @param maxAbsLogitShift  max |ln(p_int8 / p_fp32)| over all labels
     * @param againstExpected   the int8 probabilities judged like fp32 (reported, not part of the verdict)
     */
    public record Int8Drift(
            List<Double> probabilities, double maxAbsDifference, double maxAbsLogitShift, Comparison againstExpected) {
        public Int8Drift {
            probabilities = List.copyOf(probabilities);
        }
    }

    /** A label and its probability. */
    public record Ranked(String label, double probability) {}

    /** The {@code k} most probable labels of the fp32 run, most probable first. */
    public List<Ranked> top(int k) {
        List<Ranked> all = new ArrayList<>();
        for (int i = 0; i < probabilities.size(); i++) {
            all.add(new Ranked(check.labels().get(i), probabilities.get(i)));
        }
        all.sort(Comparator.comparingDouble(Ranked::probability).reversed());
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }
}
