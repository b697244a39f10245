package dev.runa.selfcheck;

import java.util.List;

/**
 * Computed against expected probabilities, judged by a {@link Tolerance}.
 *
 * @param pass         every label within the tolerance, the labels' shifts consistent with each other,
 *                     and (for a published top-k) no other label above it
 * @param rows         one per expected label, in the published order
 * @param shiftSpread  the smallest possible spread (max - min) of the labels' logit shifts over the
 *                     published values' rounding: the largest change of a relative logit
 * @param allowed      the most either a shift or the spread may be (2D)
 * @param intruders    labels outside a published top-k whose probability exceeds what the top-k allows
 */
public record Comparison(boolean pass, List<Row> rows, double shiftSpread, double allowed, List<String> intruders) {
    public Comparison {
        rows = List.copyOf(rows);
        intruders = List.copyOf(intruders);
    }

    /**
     * One label.
     *
     * @param label      the label
     * @param expected   the published probability
     * @param computed   ours
     * @param logitShift {@code ln(computed / expected)}
     * @param ok         whether the shift is within the tolerance (allowing for the published rounding)
     */
    public record Row(String label, double expected, double computed, double logitShift, boolean ok) {
        /** {@code computed - expected}. */
        public double difference() {
            return computed - expected;
        }
    }
}
