package dev.runa.eval;

import dev.runa.ood.ScoreKind;
import java.util.Objects;

/**
 * What {@link EvalReport#write} produces besides the tables.
 *
 * @param mainScore          the score shown in the ablation and shots tables and histogrammed by default
 *                           (an experiment without it falls back to its first score)
 * @param charts             whether to draw PNG charts at all
 * @param histogramAllScores one histogram per score instead of only {@code mainScore}
 * @param histogramBins      bins of each histogram (the ID and OOD series share them)
 * @param chartWidth         PNG width in pixels
 * @param chartHeight        PNG height in pixels
 */
public record ReportOptions(
        String mainScore,
        boolean charts,
        boolean histogramAllScores,
        int histogramBins,
        int chartWidth,
        int chartHeight) {
    public ReportOptions {
        Objects.requireNonNull(mainScore, "mainScore");
        if (histogramBins < 1 || histogramBins > 1000) {
            throw new IllegalArgumentException("histogram bins must lie in 1..1000, got " + histogramBins);
        }
        if (chartWidth < 100 || chartHeight < 100 || chartWidth > 8000 || chartHeight > 8000) {
            throw new IllegalArgumentException(
                    "chart size must lie in 100..8000 pixels per side, got " + chartWidth + "x" + chartHeight);
        }
    }

    /** RUNA's {@code maxsim} as the main score, charts on, 60 bins, 800x560 pixels. */
    public static ReportOptions defaults() {
        return new ReportOptions(ScoreKind.MAXSIM.key(), true, false, 60, 800, 560);
    }

    /** These options with other chart settings. */
    public ReportOptions withCharts(boolean charts, boolean histogramAllScores) {
        return new ReportOptions(mainScore, charts, histogramAllScores, histogramBins, chartWidth, chartHeight);
    }

    /** These options with another main score. */
    public ReportOptions withMainScore(String key) {
        return new ReportOptions(key, charts, histogramAllScores, histogramBins, chartWidth, chartHeight);
    }

    /** The score to feature for {@code experiment}: the main score when it has it, else its first. */
    String featuredScore(ExperimentResult experiment) {
        return experiment.scoreKeys().contains(mainScore)
                ? mainScore
                : experiment.scoreKeys().get(0);
    }
}
