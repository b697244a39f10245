package dev.runa.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes {@code report.md}: the settings, the paper's Table 1 layout per experiment (rows OOD set x score,
 * columns FPR95 and AUROC in percent), the Table 2 layout (rows experiments with RE / GE / adapter flags)
 * and a shots table per ID set for the main score when experiments carry those, every metric in one
 * detailed table, and the charts.
 */
final class ReportMarkdown {
    static final String DOWN = "\u2193";
    static final String UP = "\u2191";
    static final String CHECK = "\u2713";
    static final String MISSING = "\u2013";

    private ReportMarkdown() {}

    static void write(EvalReport report, ReportOptions options, List<EvalReport.ChartPlan> charts, OutputStream stream)
            throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# RUNA OOD evaluation report\n\n");
        md.append("Metrics in percent. ID is the positive class; every score is an ID score (higher = more ID). ")
                .append("FPR95 as the VOS code computes it (the literature's definition); ")
                .append("FPR95 strict = OOD fraction at or above the ceil(0.95 n_id)-th highest ID score.\n\n");
        settings(md, report);
        table1(md, report);
        ablation(md, report, options);
        shots(md, report, options);
        detailed(md, report);
        charts(md, charts);
        Writer out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
        out.write(md.toString());
        out.flush();
    }

    private static void settings(StringBuilder md, EvalReport report) {
        if (report.settings().isEmpty()) {
            return;
        }
        md.append("## Settings\n\n| Setting | Value |\n|---|---|\n");
        ObjectMapper mapper = new ObjectMapper();
        for (Map.Entry<String, Object> e : report.settings().entrySet()) {
            Object v = e.getValue();
            String text;
            if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
                text = String.valueOf(v);
            } else {
                try {
                    text = mapper.writeValueAsString(v);
                } catch (JsonProcessingException ex) {
                    text = String.valueOf(v);
                }
            }
            md.append("| ")
                    .append(cell(e.getKey()))
                    .append(" | ")
                    .append(cell(text))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static void table1(StringBuilder md, EvalReport report) {
        md.append("## Table 1: OOD detection per OOD set and score\n\n");
        for (ExperimentResult e : report.experiments()) {
            md.append("### ")
                    .append(cell(e.name()))
                    .append(" (ID: ")
                    .append(cell(e.idSet()))
                    .append(", ")
                    .append(e.idSamples().size())
                    .append(" ID boxes)\n\n");
            md.append("| OOD set | Score | FPR95 ")
                    .append(DOWN)
                    .append(" | AUROC ")
                    .append(UP)
                    .append(" |\n");
            md.append("|---|---|---:|---:|\n");
            for (String set : e.oodSamples().keySet()) {
                for (String key : e.scoreKeys()) {
                    OodMetrics m = report.metrics(e.name(), set, key);
                    md.append("| ")
                            .append(cell(set))
                            .append(" | ")
                            .append(cell(key))
                            .append(" | ")
                            .append(pct(m.fpr95()))
                            .append(" | ")
                            .append(pct(m.auroc()))
                            .append(" |\n");
                }
            }
            md.append('\n');
        }
    }

    private static void ablation(StringBuilder md, EvalReport report, ReportOptions options) {
        for (Map.Entry<String, List<ExperimentResult>> group :
                byIdSet(report, false).entrySet()) {
            List<ExperimentResult> rows = group.getValue();
            List<String> sets = oodSets(rows);
            md.append("## Table 2: ablation (ID: ")
                    .append(cell(group.getKey()))
                    .append(", score: ")
                    .append(cell(options.mainScore()))
                    .append(")\n\n");
            md.append("| Experiment | RE | GE | Adapter |");
            header(md, sets);
            md.append("|---|:-:|:-:|:-:|");
            md.append("---:|---:|".repeat(sets.size())).append('\n');
            for (ExperimentResult e : rows) {
                Ablation a = e.ablation().orElseThrow();
                md.append("| ")
                        .append(cell(e.name()))
                        .append(" | ")
                        .append(flag(a.regional()))
                        .append(" | ")
                        .append(flag(a.global()))
                        .append(" | ")
                        .append(flag(a.adapter()))
                        .append(" |");
                metricCells(md, report, e, sets, options.mainScore());
            }
            md.append('\n');
        }
    }

    private static void shots(StringBuilder md, EvalReport report, ReportOptions options) {
        for (Map.Entry<String, List<ExperimentResult>> group :
                byIdSet(report, true).entrySet()) {
            List<ExperimentResult> rows = new ArrayList<>(group.getValue());
            rows.sort(Comparator.comparingInt(
                    e -> e.ablation().orElseThrow().shots().getAsInt())); // stable
            List<String> sets = oodSets(rows);
            md.append("## Shots (ID: ")
                    .append(cell(group.getKey()))
                    .append(", score: ")
                    .append(cell(options.mainScore()))
                    .append(")\n\n");
            md.append("| Shots | Experiment |");
            header(md, sets);
            md.append("|---:|---|").append("---:|---:|".repeat(sets.size())).append('\n');
            for (ExperimentResult e : rows) {
                md.append("| ")
                        .append(e.ablation().orElseThrow().shots().getAsInt())
                        .append(" | ")
                        .append(cell(e.name()))
                        .append(" |");
                metricCells(md, report, e, sets, options.mainScore());
            }
            md.append('\n');
        }
    }

    private static void detailed(StringBuilder md, EvalReport report) {
        md.append("## All metrics\n\n");
        md.append("| Experiment | ID set | OOD set | Score | n ID | n OOD | FPR95 ")
                .append(DOWN)
                .append(" | FPR95 strict ")
                .append(DOWN)
                .append(" | AUROC ")
                .append(UP)
                .append(" | AUPR-In ")
                .append(UP)
                .append(" | AUPR-Out ")
                .append(UP)
                .append(" |\n");
        md.append("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (MetricsRow r : report.rows()) {
            OodMetrics m = r.metrics();
            md.append("| ")
                    .append(cell(r.experiment()))
                    .append(" | ")
                    .append(cell(r.idSet()))
                    .append(" | ")
                    .append(cell(r.oodSet()))
                    .append(" | ")
                    .append(cell(r.score()))
                    .append(" | ")
                    .append(m.nId())
                    .append(" | ")
                    .append(m.nOod())
                    .append(" | ")
                    .append(pct(m.fpr95()))
                    .append(" | ")
                    .append(pct(m.fpr95Strict()))
                    .append(" | ")
                    .append(pct(m.auroc()))
                    .append(" | ")
                    .append(pct(m.auprIn()))
                    .append(" | ")
                    .append(pct(m.auprOut()))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static void charts(StringBuilder md, List<EvalReport.ChartPlan> charts) {
        if (charts.isEmpty()) {
            return;
        }
        md.append("## Charts\n\n");
        for (EvalReport.ChartPlan p : charts) {
            md.append("### ")
                    .append(cell(p.experiment().name()))
                    .append(": ")
                    .append(cell(p.experiment().idSet()))
                    .append(" vs ")
                    .append(cell(p.oodSet()))
                    .append("\n\n");
            md.append("![ROC](").append(p.roc()).append(")\n");
            for (Map.Entry<String, String> h : p.histograms().entrySet()) {
                md.append("![")
                        .append(cell(h.getKey()))
                        .append(" histogram](")
                        .append(h.getValue())
                        .append(")\n");
            }
            md.append('\n');
        }
    }

    private static Map<String, List<ExperimentResult>> byIdSet(EvalReport report, boolean withShots) {
        Map<String, List<ExperimentResult>> groups = new LinkedHashMap<>();
        for (ExperimentResult e : report.experiments()) {
            boolean include = e.ablation().isPresent()
                    && (!withShots || e.ablation().get().shots().isPresent());
            if (include) {
                groups.computeIfAbsent(e.idSet(), k -> new ArrayList<>()).add(e);
            }
        }
        return groups;
    }

    private static List<String> oodSets(List<ExperimentResult> experiments) {
        Set<String> sets = new LinkedHashSet<>();
        experiments.forEach(e -> sets.addAll(e.oodSamples().keySet()));
        return new ArrayList<>(sets);
    }

    private static void header(StringBuilder md, List<String> sets) {
        for (String s : sets) {
            md.append(' ')
                    .append(cell(s))
                    .append(" FPR95 ")
                    .append(DOWN)
                    .append(" | ")
                    .append(cell(s))
                    .append(" AUROC ")
                    .append(UP)
                    .append(" |");
        }
        md.append('\n');
    }

    private static void metricCells(
            StringBuilder md, EvalReport report, ExperimentResult e, List<String> sets, String mainScore) {
        for (String set : sets) {
            if (e.oodSamples().containsKey(set) && e.scoreKeys().contains(mainScore)) {
                OodMetrics m = report.metrics(e.name(), set, mainScore);
                md.append(' ')
                        .append(pct(m.fpr95()))
                        .append(" | ")
                        .append(pct(m.auroc()))
                        .append(" |");
            } else {
                md.append(' ').append(MISSING).append(" | ").append(MISSING).append(" |");
            }
        }
        md.append('\n');
    }

    private static String flag(boolean on) {
        return on ? CHECK : "";
    }

    /** A fraction as a percentage with two decimals. */
    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }

    /** Text made safe inside a Markdown table cell. */
    static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
