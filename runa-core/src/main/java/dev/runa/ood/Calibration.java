package dev.runa.ood;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The ID/OOD decision threshold on one score, calibrated on ID boxes so that a given fraction of
 * them (95% by default) is accepted as ID (docs/method.md section 1), together with the settings it
 * was made under.
 *
 * <p>A box is OOD iff its ID score is below {@code threshold}. The threshold is the k-th highest ID
 * score with {@code k = ceil(rate * n)}, so at least {@code rate} of the calibration boxes are
 * accepted (ties at the threshold count as accepted) — the same rule as {@code fpr95_strict}.
 *
 * @param score        which score the threshold applies to
 * @param threshold    ID scores below it are OOD
 * @param idAcceptRate fraction of ID boxes accepted on the calibration set (0.95 by default)
 * @param idSamples    number of ID boxes it was calibrated on
 * @param settings     the scoring settings it is valid for
 */
public record Calibration(
        ScoreKind score, double threshold, double idAcceptRate, int idSamples, ScoringSettings settings) {
    /** Default fraction of ID boxes accepted: the benchmark's 95% true-positive rate. */
    public static final double DEFAULT_ID_ACCEPT_RATE = 0.95;

    private static final String FORMAT = "runa-calibration";
    private static final int VERSION = 1;

    public Calibration {
        if (!(idAcceptRate > 0 && idAcceptRate <= 1)) {
            throw new IllegalArgumentException("ID accept rate must lie in (0, 1], got " + idAcceptRate);
        }
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("calibration threshold is NaN");
        }
    }

    /**
     * The one line {@code calibrate} and {@code spark-calibrate} print: score, threshold, rate, how
     * many ID boxes it was fitted on and how many could not be scored.
     */
    public String summary(long unscorable) {
        return String.format(
                Locale.ROOT,
                "calibrated %s: threshold %.6f accepts %.1f%% of %d ID boxes (%d unscorable skipped)",
                score.key(),
                threshold,
                100 * idAcceptRate,
                idSamples,
                unscorable);
    }

    /**
     * Calibrates on ID scores.
     *
     * @throws IllegalArgumentException when there are no scores or one is NaN
     */
    public static Calibration fit(double[] idScores, ScoreKind score, double idAcceptRate, ScoringSettings settings) {
        if (idScores.length == 0) {
            throw new IllegalArgumentException("cannot calibrate on zero ID boxes");
        }
        if (!(idAcceptRate > 0 && idAcceptRate <= 1)) {
            throw new IllegalArgumentException("ID accept rate must lie in (0, 1], got " + idAcceptRate);
        }
        double[] sorted = idScores.clone();
        for (double v : sorted) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("an ID score is NaN: cannot calibrate");
            }
        }
        Arrays.sort(sorted);
        int k = (int) acceptedCount(sorted.length, idAcceptRate);
        double threshold = sorted[sorted.length - k];
        return new Calibration(score, threshold, idAcceptRate, sorted.length, settings);
    }

    /**
     * How many of {@code n} calibration scores the threshold accepts: {@code ceil(rate * n)}, at least 1;
     * the threshold is the {@code acceptedCount}-th highest score. Distributed calibrations use it to
     * pick the same rank as {@link #fit}.
     */
    public static long acceptedCount(long n, double idAcceptRate) {
        // 1e-9: 0.95 * 20 must be 19, not 19.000000000000004
        long k = (long) Math.ceil(idAcceptRate * n - 1e-9);
        return Math.max(1, Math.min(k, n));
    }

    /** The decision for one box's scores: true when OOD. */
    public boolean isOod(BoxScores scores) {
        return scores.get(score) < threshold;
    }

    /**
     * Throws when this calibration was made under other settings than {@code now}, naming every
     * field that differs.
     */
    public void requireCompatible(ScoringSettings now) {
        List<String> diff = settings.differences(now);
        if (!diff.isEmpty()) {
            throw new IllegalArgumentException(
                    "the calibration was made with different settings: " + String.join("; ", diff));
        }
    }

    /** Writes the calibration as JSON, atomically. */
    public void save(Path file) throws IOException {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = om.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("score", score.key());
        root.put("threshold", threshold);
        root.put("id_accept_rate", idAcceptRate);
        root.put("id_samples", idSamples);
        ObjectNode s = root.putObject("settings");
        s.put("model", settings.model());
        settings.prompts().forEach(s.putArray("prompts")::add);
        s.put("lambda", settings.lambda());
        s.put("fusion", settings.fusion().name());
        s.put("views", settings.views());
        s.put("adapter", settings.adapter());
        s.put("precision", settings.precision());
        AtomicFile.write(file, om.writeValueAsBytes(root));
    }

    /** Reads a calibration written by {@link #save(Path)}; errors name the file and the field. */
    public static Calibration load(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        String where = file.toString();
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IOException(where + ": not a runa calibration file (field 'format' is not '" + FORMAT + "')");
        }
        if (root.path("version").asInt(-1) != VERSION) {
            throw new IOException(where + ": unsupported calibration version " + root.path("version")
                    + " (this runa reads version " + VERSION + ")");
        }
        JsonNode s = require(root, "settings", where);
        List<String> prompts = new ArrayList<>();
        require(s, "prompts", where).forEach(p -> prompts.add(p.asText()));
        try {
            ScoringSettings settings = new ScoringSettings(
                    require(s, "model", where).asText(),
                    prompts,
                    require(s, "lambda", where).asDouble(),
                    FusionMode.valueOf(require(s, "fusion", where).asText()),
                    require(s, "views", where).asText(),
                    require(s, "adapter", where).asText(),
                    s.path("precision").asText(ScoringSettings.DEFAULT_PRECISION));
            return new Calibration(
                    ScoreKind.fromKey(require(root, "score", where).asText()),
                    require(root, "threshold", where).asDouble(),
                    require(root, "id_accept_rate", where).asDouble(),
                    require(root, "id_samples", where).asInt(),
                    settings);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode require(JsonNode node, String field, String where) throws IOException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IOException(where + ": missing field '" + field + "'");
        }
        return v;
    }
}
