package dev.runa.eval;

import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.FusionMode;
import dev.runa.ood.PromptSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code settings} object of an evaluation report (report.json), in its documented key order:
 * what was run, on which sets, at which confidence threshold, and what was skipped. Stateless.
 */
public final class ReportSettings {
    private ReportSettings() {}

    /** How the confidence threshold was chosen, and its value. */
    public record Threshold(boolean f1Optimal, double value) {
        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", f1Optimal ? "f1_optimal_on_id" : "given");
            m.put("value", value);
            return m;
        }
    }

    /** The run's settings; {@code ood} and {@code oodSamples} in the same order. */
    public static Map<String, Object> of(
            String model,
            String classes,
            PromptSet prompts,
            double lambda,
            FusionMode fusion,
            BoxViewOptions views,
            EvalAdapters adapters,
            Threshold threshold,
            BenchmarkSet id,
            SampleSet idSamples,
            List<BenchmarkSet> ood,
            List<SampleSet> oodSamples,
            BenchmarkRun.Stats stats) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("classes", classes);
        m.put("prompts", prompts.prompts());
        m.put("lambda", lambda);
        m.put("fusion", fusion.name().toLowerCase(Locale.ROOT));
        m.put("views", views.describe());
        m.put("adapters", adapters.reportEntries());
        m.put("confidence_threshold", threshold.describe());
        m.put("id_set", setInfo(id, idSamples));
        List<Object> oodInfo = new ArrayList<>();
        for (int i = 0; i < ood.size(); i++) {
            oodInfo.add(setInfo(ood.get(i), oodSamples.get(i)));
        }
        m.put("ood_sets", oodInfo);
        m.put("samples_skipped", stats.samplesSkipped());
        m.put("skip_reasons", stats.problems());
        m.put("skips_by_reason", stats.skipsByReason());
        return m;
    }

    private static Map<String, Object> setInfo(BenchmarkSet spec, SampleSet samples) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", spec.name());
        m.put("gt", spec.json().toString());
        m.put("images_dir", spec.images().toString());
        m.put("detections_file", spec.detections().toString());
        m.putAll(VosProtocol.describe(samples));
        return m;
    }
}
