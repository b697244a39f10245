package dev.runa.eval;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code report.json}:
 * <pre>
 * {"format": "runa-eval-report/1",
 *  "main_score": "maxsim",
 *  "settings": {...given verbatim...},
 *  "experiments": [{"name", "id_set", "n_id", "score_keys": [...], "ood_sets": [{"name", "n_ood"}],
 *                   "ablation": {"regional", "global", "adapter", "shots"?} (only when set)}],
 *  "results": [{"experiment", "id_set", "ood_set", "score",
 *               "n_id", "n_ood", "auroc", "aupr_in", "aupr_out", "fpr95", "fpr95_strict"}],
 *  "charts": [{"experiment", "ood_set", "roc", "histograms": {score: path}}]}
 * </pre>
 * Metrics are fractions in [0, 1] with the same names as {@code runa metrics} prints; chart paths are
 * relative to the report directory.
 */
final class ReportJson {
    static final String FORMAT = "runa-eval-report/1";

    private ReportJson() {}

    static void write(EvalReport report, ReportOptions options, List<EvalReport.ChartPlan> charts, OutputStream out)
            throws IOException {
        ObjectMapper mapper = new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        ObjectNode root = mapper.createObjectNode();
        root.put("format", FORMAT);
        root.put("main_score", options.mainScore());
        try {
            root.set("settings", mapper.valueToTree(report.settings()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("report settings cannot be written as JSON: " + e.getMessage(), e);
        }
        ArrayNode experiments = root.putArray("experiments");
        for (ExperimentResult e : report.experiments()) {
            ObjectNode x = experiments.addObject();
            x.put("name", e.name());
            x.put("id_set", e.idSet());
            x.put("n_id", e.idSamples().size());
            ArrayNode keys = x.putArray("score_keys");
            e.scoreKeys().forEach(keys::add);
            ArrayNode sets = x.putArray("ood_sets");
            e.oodSamples()
                    .forEach((name, samples) ->
                            sets.addObject().put("name", name).put("n_ood", samples.size()));
            e.ablation().ifPresent(a -> {
                ObjectNode ab = x.putObject("ablation");
                ab.put("regional", a.regional());
                ab.put("global", a.global());
                ab.put("adapter", a.adapter());
                a.shots().ifPresent(s -> ab.put("shots", s));
            });
        }
        ArrayNode results = root.putArray("results");
        for (MetricsRow r : report.rows()) {
            OodMetrics m = r.metrics();
            results.addObject()
                    .put("experiment", r.experiment())
                    .put("id_set", r.idSet())
                    .put("ood_set", r.oodSet())
                    .put("score", r.score())
                    .put("n_id", m.nId())
                    .put("n_ood", m.nOod())
                    .put("auroc", m.auroc())
                    .put("aupr_in", m.auprIn())
                    .put("aupr_out", m.auprOut())
                    .put("fpr95", m.fpr95())
                    .put("fpr95_strict", m.fpr95Strict());
        }
        ArrayNode chartList = root.putArray("charts");
        for (EvalReport.ChartPlan p : charts) {
            ObjectNode c = chartList.addObject();
            c.put("experiment", p.experiment().name());
            c.put("ood_set", p.oodSet());
            c.put("roc", p.roc());
            ObjectNode h = c.putObject("histograms");
            for (Map.Entry<String, String> e : p.histograms().entrySet()) {
                h.put(e.getKey(), e.getValue());
            }
        }
        mapper.writeValue(out, root);
    }
}
