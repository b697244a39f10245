package dev.runa.charts;

import dev.runa.eval.EvalReport;
import dev.runa.eval.ExperimentResult;
import dev.runa.eval.OodMetrics;
import dev.runa.eval.ReportChartWriter;
import dev.runa.eval.ReportOptions;
import dev.runa.eval.RocCurve;
import dev.runa.io.AtomicFile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws the report's PNG charts with JFreeChart, headless: a ROC curve per experiment x OOD set with
 * every score as a series (ID positive), and overlaid ID / OOD score histograms (as the paper's
 * Figure 4) on shared bins, with relative frequencies so that sets of different sizes compare.
 */
public final class JFreeReportCharts implements ReportChartWriter {
    private static final Color ID_COLOUR = new Color(31, 119, 180);
    private static final Color OOD_COLOUR = new Color(255, 127, 14);
    private static final Color[] SERIES = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207)
    };

    public JFreeReportCharts() {
        // Charts are drawn off screen; without this a machine lacking a display would fail in AWT.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** ROC curves of every score of {@code experiment} on {@code oodSet}. */
    @Override
    public void writeRoc(
            Path file, ExperimentResult experiment, String oodSet, EvalReport report, ReportOptions options)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (String key : experiment.scoreKeys()) {
            RocCurve c = RocCurve.of(experiment.idScores(key), experiment.oodScores(oodSet, key));
            OodMetrics m = report.metrics(experiment.name(), oodSet, key);
            XYSeries s = new XYSeries(
                    String.format(Locale.ROOT, "%s (AUROC %.2f, FPR95 %.2f)", key, 100 * m.auroc(), 100 * m.fpr95()),
                    false,
                    true);
            for (int i = 0; i < c.fpr().length; i++) {
                s.add(c.fpr()[i], c.tpr()[i]);
            }
            data.addSeries(s);
        }
        XYSeries chance = new XYSeries("chance", false, true);
        chance.add(0.0, 0.0);
        chance.add(1.0, 1.0);
        data.addSeries(chance);
        JFreeChart chart = ChartFactory.createXYLineChart(
                "ROC: " + experiment.name() + ", " + experiment.idSet() + " (ID) vs " + oodSet + " (OOD)",
                "False positive rate (OOD boxes accepted as ID)",
                "True positive rate (ID boxes accepted)",
                data,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        XYPlot plot = chart.getXYPlot();
        style(chart, plot);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        int scores = experiment.scoreKeys().size();
        for (int i = 0; i < scores; i++) {
            r.setSeriesPaint(i, SERIES[i % SERIES.length]);
            r.setSeriesStroke(i, new BasicStroke(2.0f));
        }
        r.setSeriesPaint(scores, Color.GRAY);
        r.setSeriesStroke(
                scores,
                new BasicStroke(1.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        plot.setRenderer(r);
        unitAxis(plot.getDomainAxis());
        unitAxis(plot.getRangeAxis());
        ValueMarker tpr95 = new ValueMarker(
                0.95,
                Color.DARK_GRAY,
                new BasicStroke(1.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f));
        tpr95.setLabel("TPR 95%");
        tpr95.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
        tpr95.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        plot.addRangeMarker(tpr95);
        save(file, chart, options);
    }

    /** Overlaid histograms of ID and OOD values of score {@code key}. */
    @Override
    public void writeHistogram(Path file, ExperimentResult experiment, String oodSet, String key, ReportOptions options)
            throws IOException {
        double[] id = experiment.idScores(key);
        double[] ood = experiment.oodScores(oodSet, key);
        double min = Math.min(
                Arrays.stream(id).min().orElseThrow(), Arrays.stream(ood).min().orElseThrow());
        double max = Math.max(
                Arrays.stream(id).max().orElseThrow(), Arrays.stream(ood).max().orElseThrow());
        if (!(max > min)) {
            // All values equal: give the single bar a visible width instead of a zero-width bin.
            double pad = Math.max(Math.abs(min) * 1e-3, 1e-6);
            min -= pad;
            max += pad;
        }
        HistogramDataset data = new HistogramDataset();
        data.setType(HistogramType.RELATIVE_FREQUENCY);
        data.addSeries("ID: " + experiment.idSet() + " (" + id.length + ")", id, options.histogramBins(), min, max);
        data.addSeries("OOD: " + oodSet + " (" + ood.length + ")", ood, options.histogramBins(), min, max);
        JFreeChart chart = ChartFactory.createHistogram(
                key + ": " + experiment.name() + ", " + experiment.idSet() + " (ID) vs " + oodSet + " (OOD)",
                key + " (higher = more ID)",
                "Fraction of boxes",
                data,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        XYPlot plot = chart.getXYPlot();
        style(chart, plot);
        plot.setForegroundAlpha(0.55f);
        XYBarRenderer r = (XYBarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(false);
        r.setSeriesPaint(0, ID_COLOUR);
        r.setSeriesPaint(1, OOD_COLOUR);
        // The threshold that accepts 95% of ID boxes (the strict FPR95 cut-off): OOD mass right of it is FPR.
        double[] sorted = id.clone();
        Arrays.sort(sorted);
        int k = (int) ((95L * sorted.length + 99) / 100);
        ValueMarker cut = new ValueMarker(
                sorted[sorted.length - k],
                Color.DARK_GRAY,
                new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
        cut.setLabel("95% of ID above");
        cut.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        cut.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        plot.addDomainMarker(cut);
        save(file, chart, options);
    }

    private static void style(JFreeChart chart, XYPlot plot) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        plot.setOutlinePaint(Color.GRAY);
    }

    private static void unitAxis(ValueAxis axis) {
        axis.setRange(0.0, 1.0);
        if (axis instanceof NumberAxis n) {
            n.setAutoRangeIncludesZero(true);
        }
    }

    private static void save(Path file, JFreeChart chart, ReportOptions options) throws IOException {
        AtomicFile.write(
                file, out -> ChartUtils.writeChartAsPNG(out, chart, options.chartWidth(), options.chartHeight()));
    }
}
