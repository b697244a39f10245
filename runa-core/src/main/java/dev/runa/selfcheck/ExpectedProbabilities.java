package dev.runa.selfcheck;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Label probabilities someone published, as printed: each value carries the half-width of its last
 * printed digit (0.9927937 is known to +-5e-8, 65.31% to +-5e-5), so that the rounding of the source
 * is never mistaken for a difference of ours.
 *
 * @param source     where the numbers come from (a citation a user can look up)
 * @param labels     labels, in the published order
 * @param values     the probabilities, in [0, 1]
 * @param halfWidths half a unit of each value's last printed digit
 * @param complete   true when {@code labels} are all the classes of the softmax (the values should
 *                   then sum to about 1); false for a published top-k out of more classes
 */
public record ExpectedProbabilities(
        String source, List<String> labels, List<Double> values, List<Double> halfWidths, boolean complete) {

    public ExpectedProbabilities {
        Objects.requireNonNull(source, "source");
        labels = List.copyOf(labels);
        values = List.copyOf(values);
        halfWidths = List.copyOf(halfWidths);
        if (labels.isEmpty() || labels.size() != values.size() || labels.size() != halfWidths.size()) {
            throw new IllegalArgumentException("expected probabilities: " + labels.size() + " labels, " + values.size()
                    + " values, " + halfWidths.size() + " precisions (need the same non-zero number)");
        }
        if (new HashSet<>(labels).size() != labels.size()) {
            throw new IllegalArgumentException("expected probabilities: labels " + labels + " repeat a label");
        }
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            if (!(v > 0 && v <= 1)) {
                throw new IllegalArgumentException(
                        "expected probability of '" + labels.get(i) + "' is " + v + ": must be in (0, 1]");
            }
        }
    }

    /**
     * Probabilities written as decimal numbers ({@code "0.9927937"}) or percentages ({@code "65.31%"});
     * the precision of each is taken from its digits.
     */
    public static ExpectedProbabilities printed(
            String source, List<String> labels, List<String> printedValues, boolean complete) {
        List<Double> values = new ArrayList<>();
        List<Double> half = new ArrayList<>();
        for (int i = 0; i < printedValues.size(); i++) {
            String text = printedValues.get(i).strip();
            boolean percent = text.endsWith("%");
            BigDecimal d;
            try {
                d = new BigDecimal(
                        percent ? text.substring(0, text.length() - 1).strip() : text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected probability '" + text + "' (label "
                        + (i < labels.size() ? "'" + labels.get(i) + "'" : "#" + (i + 1)) + ") is not a number");
            }
            double scale = percent ? 0.01 : 1;
            values.add(d.doubleValue() * scale);
            half.add(0.5 * Math.pow(10, -Math.max(0, d.scale())) * scale);
        }
        return new ExpectedProbabilities(source, labels, values, half, complete);
    }

    /**
     * Parses {@code "a,b,c:p1,p2,p3"}: labels separated by commas, a colon, then as many probabilities
     * (decimals or percentages). The labels are the whole prompt set, so the list is complete. The
     * last colon separates the two lists, so labels may contain colons but not commas.
     *
     * @throws IllegalArgumentException naming the field {@code expect} and what is wrong
     */
    public static ExpectedProbabilities parse(String spec, String source) {
        int colon = spec.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(
                    "expect '" + spec + "': write labels, a colon, then probabilities: 'a,b,c:0.7,0.2,0.1'");
        }
        List<String> labels = split(spec.substring(0, colon));
        List<String> values = split(spec.substring(colon + 1));
        if (labels.size() < 2 || labels.size() != values.size()) {
            throw new IllegalArgumentException("expect '" + spec + "': " + labels.size() + " labels and "
                    + values.size() + " probabilities; need the same number, at least 2");
        }
        ExpectedProbabilities e = printed(source, labels, values, true);
        double sum = e.values().stream().mapToDouble(Double::doubleValue).sum();
        double slack = e.halfWidths().stream().mapToDouble(Double::doubleValue).sum() + 1e-3;
        if (Math.abs(sum - 1) > slack) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "expect '%s': the probabilities sum to %.6f; a softmax over these labels sums to 1",
                    spec,
                    sum));
        }
        return e;
    }

    private static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",", -1)) {
            String t = s.strip();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("expect: empty item in '" + list + "'");
            }
            out.add(t);
        }
        return out;
    }
}
