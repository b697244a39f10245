package dev.runa.eval;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Draws the PNG charts of an {@link EvalReport}. The library plans which charts exist and where they
 * go (so {@code report.json} and {@code report.md} name them the same way whoever draws them); an
 * implementation only renders one chart into one file, atomically. The CLI's implementation uses
 * JFreeChart, which the library does not depend on.
 *
 * <p>Implementations are called from the thread that writes the report, one chart at a time.
 */
public interface ReportChartWriter {

    /** ROC curves (ID positive) of every score of {@code experiment} on {@code oodSet}; see {@link RocCurve}. */
    void writeRoc(Path file, ExperimentResult experiment, String oodSet, EvalReport report, ReportOptions options)
            throws IOException;

    /** Overlaid ID and OOD histograms of score {@code key} of {@code experiment} on {@code oodSet}. */
    void writeHistogram(Path file, ExperimentResult experiment, String oodSet, String key, ReportOptions options)
            throws IOException;
}
