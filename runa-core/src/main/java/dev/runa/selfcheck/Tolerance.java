package dev.runa.selfcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How far computed label probabilities may lie from expected ones, stated as the largest shift of
 * any label's logit ({@code scale * cosine}) that is still explained by arithmetic, not by a bug.
 *
 * <p><b>Why logits.</b> If every logit moves by at most {@code D}, each softmax probability moves by
 * the factor {@code exp(dz_i) / sum_j p_j exp(dz_j)}, which lies in {@code [exp(-2D), exp(2D)]}: the
 * "logit shift" {@code ln(computed / expected)} of every label is within {@code 2D}, and the
 * difference of two labels' shifts (their relative logit, {@code dz_i - dz_j}) is within {@code 2D}
 * too. Both checks hold exactly, not only to first order, also for a published top-k of which only
 * some probabilities are known; and they scale with the probability, so 0.0042 is held to the same
 * relative standard as 0.9928, whose complement a shift of the small labels would move.
 *
 * <p><b>Why 0.2 ({@link #FP16_GPU}).</b> OpenAI's published outputs may come from CLIP in fp16 on
 * a GPU ({@code clip.load} keeps the model in fp16 on CUDA); runa computes in fp32 on a CPU. We
 * measured fp16 against fp32 with the same fp16-representable random weights on an H100 (PyTorch
 * 2.11, Hugging Face CLIPModel, eager and SDPA attention; {@code bench/fp16-drift.py}, results in
 * {@code docs/selfcheck-fp16-drift.json}): over the tiny, ViT-B/32 and ViT-B/16 shapes, 8 images and
 * 3 or 100 prompts, with logit scale 100, the largest logit shift was 0.083 (the fp16 rounding of
 * logits around 20-60 alone is up to 0.016), and the largest |ln(p16 / p32)| 0.063; a CPU simulation
 * of the same on random:tiny, which CI repeats, gives 0.032 ({@code Fp16DriftTest}). We allow
 * {@code D = 0.2}, 2.4 times the measured worst case, because random weights lack what trained
 * ones have (sharper attention, activation outlier channels) and the GPU kernels of 2021 differ from
 * today's. A wrong resize filter, colour order, tokenizer or weight mapping moves logits by far more.
 *
 * @param maxLogitShift {@code D}, the largest per-label logit shift allowed (in logit units, i.e.
 *                      {@code scale * cosine})
 */
public record Tolerance(double maxLogitShift) {
    /** fp16 on a GPU versus fp32 on a CPU, with margin (see the class comment). */
    public static final Tolerance FP16_GPU = new Tolerance(0.2);

    public Tolerance {
        if (!(maxLogitShift > 0) || Double.isInfinite(maxLogitShift)) {
            throw new IllegalArgumentException("maxLogitShift must be a positive number, got " + maxLogitShift);
        }
    }

    /** The largest allowed {@code |ln(computed / expected)|}, and difference of two labels' shifts: 2D. */
    public double maxProbabilityShift() {
        return 2 * maxLogitShift;
    }

    /**
     * Compares computed probabilities with expected ones.
     *
     * @param computed every label's computed probability (a complete softmax over the prompt set);
     *                 must contain each expected label
     * @param expected what was published
     */
    public Comparison judge(Map<String, Double> computed, ExpectedProbabilities expected) {
        double allowed = maxProbabilityShift();
        List<Comparison.Row> rows = new ArrayList<>();
        double maxLo = Double.NEGATIVE_INFINITY;
        double minHi = Double.POSITIVE_INFINITY;
        boolean each = true;
        for (int i = 0; i < expected.labels().size(); i++) {
            String label = expected.labels().get(i);
            Double c = computed.get(label);
            if (c == null) {
                throw new IllegalArgumentException("no computed probability for expected label '" + label + "'");
            }
            double p = expected.values().get(i);
            double h = expected.halfWidths().get(i);
            // The shift's interval over every value the printed number may stand for.
            double lo = Math.log(c / (p + h));
            double hi = p - h > 0 ? Math.log(c / (p - h)) : Double.POSITIVE_INFINITY;
            maxLo = Math.max(maxLo, lo);
            minHi = Math.min(minHi, hi);
            double distance = lo > 0 ? lo : hi < 0 ? -hi : 0;
            boolean ok = c >= 0 && distance <= allowed; // false for NaN, which no comparison catches
            each &= ok;
            rows.add(new Comparison.Row(label, p, c, Math.log(c / p), ok));
        }
        double spread = Math.max(0, maxLo - minHi);
        List<String> intruders = new ArrayList<>();
        if (!expected.complete()) {
            // A published top-k also says that no other label is above its smallest value: allow the
            // same factor exp(2D) on that bound.
            double bound = expected.values().stream()
                    .mapToDouble(Double::doubleValue)
                    .min()
                    .orElseThrow();
            int at = expected.values().indexOf(bound);
            double limit = (bound + expected.halfWidths().get(at)) * Math.exp(allowed);
            computed.forEach((label, c) -> {
                if (!expected.labels().contains(label) && c > limit) {
                    intruders.add(label);
                }
            });
        }
        boolean pass = each && spread <= allowed && intruders.isEmpty(); // NaN spread fails too
        return new Comparison(pass, rows, spread, allowed, intruders);
    }
}
