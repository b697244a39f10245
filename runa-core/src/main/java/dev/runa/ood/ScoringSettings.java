package dev.runa.ood;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a score depends on besides the image: a calibration made under one set of settings
 * is meaningless under another, so calibrations carry these and refuse a mismatch.
 *
 * @param model       identity of the CLIP checkpoint (hub id with revision, directory, or {@code random:NAME})
 * @param prompts     the ID prompts, in class order (template already applied)
 * @param lambda      fusion weight of the regional view
 * @param fusion      early or late fusion
 * @param views       a canonical description of the view options (margin, padding, global fit, blur radius)
 * @param adapter     identity of the fine-tuned projection, or {@code "none"}
 * @param precision   the vision encoder's arithmetic ({@code fp32} or {@code int8}): int8 shifts scores
 *                    slightly, enough to move a threshold
 */
public record ScoringSettings(
        String model,
        List<String> prompts,
        double lambda,
        FusionMode fusion,
        String views,
        String adapter,
        String precision) {
    /** Precision of settings that do not name one (fp32, the default). */
    public static final String DEFAULT_PRECISION = "fp32";

    public ScoringSettings {
        Objects.requireNonNull(model, "model");
        prompts = List.copyOf(prompts);
        Objects.requireNonNull(fusion, "fusion");
        Objects.requireNonNull(views, "views");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(precision, "precision");
    }

    /** Settings of the default (fp32) precision. */
    public ScoringSettings(
            String model, List<String> prompts, double lambda, FusionMode fusion, String views, String adapter) {
        this(model, prompts, lambda, fusion, views, adapter, DEFAULT_PRECISION);
    }

    /** The settings as named string fields, for files and for mismatch messages. */
    public Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("prompts", String.join(" | ", prompts));
        m.put("lambda", Double.toString(lambda));
        m.put("fusion", fusion.name().toLowerCase(java.util.Locale.ROOT));
        m.put("views", views);
        m.put("adapter", adapter);
        m.put("precision", precision);
        return m;
    }

    /**
     * The fields whose values differ between this and {@code other}, described for a user
     * ({@code "lambda: 0.5 (calibration) vs 1.0 (now)"}); empty when compatible.
     */
    public List<String> differences(ScoringSettings other) {
        Map<String, String> a = fields();
        Map<String, String> b = other.fields();
        return a.keySet().stream()
                .filter(k -> !a.get(k).equals(b.get(k)))
                .map(k -> k + ": '" + a.get(k) + "' (calibration) vs '" + b.get(k) + "' (now)")
                .toList();
    }
}
