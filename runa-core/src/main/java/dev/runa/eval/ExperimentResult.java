package dev.runa.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The scored samples of one experiment (one configuration of the scorer) on one ID test set and
 * one or more OOD test sets.
 *
 * <p>Every sample of an experiment carries the same score keys, so that each score is compared on
 * the same boxes; the constructor rejects a mismatch, an empty sample list and an experiment
 * without OOD sets, naming the experiment and set.
 *
 * @param name       the experiment's name as shown in the report, e.g. {@code "RE+GE + adapter"}
 * @param ablation   the experiment's place in the ablation tables, when it has one
 * @param idSet      name of the ID test set, e.g. {@code "voc"}
 * @param idSamples  the ID samples
 * @param oodSamples OOD set name to its samples, in report order
 */
public record ExperimentResult(
        String name,
        Optional<Ablation> ablation,
        String idSet,
        List<ScoredSample> idSamples,
        Map<String, List<ScoredSample>> oodSamples) {
    public ExperimentResult {
        requireName(name, "experiment name");
        Objects.requireNonNull(ablation, "ablation (use Optional.empty())");
        requireName(idSet, "experiment '" + name + "': ID set name");
        Objects.requireNonNull(idSamples, "idSamples");
        Objects.requireNonNull(oodSamples, "oodSamples");
        if (idSamples.isEmpty()) {
            throw new IllegalArgumentException("experiment '" + name + "': ID set '" + idSet
                    + "' has no samples (no detector box reached the confidence threshold?)");
        }
        if (oodSamples.isEmpty()) {
            throw new IllegalArgumentException("experiment '" + name + "': no OOD set given");
        }
        idSamples = List.copyOf(idSamples);
        Set<String> keys = idSamples.get(0).scores().keySet();
        checkKeys(name, "ID set '" + idSet + "'", idSamples, keys);
        Map<String, List<ScoredSample>> ood = new LinkedHashMap<>();
        for (Map.Entry<String, List<ScoredSample>> e : oodSamples.entrySet()) {
            String set = e.getKey();
            requireName(set, "experiment '" + name + "': OOD set name");
            List<ScoredSample> samples = e.getValue();
            if (samples == null || samples.isEmpty()) {
                throw new IllegalArgumentException("experiment '" + name + "': OOD set '" + set
                        + "' has no samples (no detector box reached the confidence threshold?)");
            }
            checkKeys(name, "OOD set '" + set + "'", samples, keys);
            ood.put(set, List.copyOf(samples));
        }
        oodSamples = Collections.unmodifiableMap(ood);
    }

    /** An experiment without ablation flags. */
    public ExperimentResult(
            String name, String idSet, List<ScoredSample> idSamples, Map<String, List<ScoredSample>> oodSamples) {
        this(name, Optional.empty(), idSet, idSamples, oodSamples);
    }

    /** The score keys every sample carries, in the order of the first ID sample. */
    public List<String> scoreKeys() {
        return new ArrayList<>(idSamples.get(0).scores().keySet());
    }

    /** The ID scores under {@code key}, in sample order. */
    public double[] idScores(String key) {
        return column(idSamples, key);
    }

    /** The scores of OOD set {@code set} under {@code key}, in sample order. */
    public double[] oodScores(String set, String key) {
        List<ScoredSample> samples = oodSamples.get(set);
        if (samples == null) {
            throw new IllegalArgumentException(
                    "experiment '" + name + "' has no OOD set '" + set + "' (it has " + oodSamples.keySet() + ")");
        }
        return column(samples, key);
    }

    /** The benchmark metrics of score {@code key} on OOD set {@code set}. */
    public OodMetrics metrics(String set, String key) {
        return OodMetrics.compute(idScores(key), oodScores(set, key));
    }

    private static double[] column(List<ScoredSample> samples, String key) {
        double[] v = new double[samples.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = samples.get(i).score(key);
        }
        return v;
    }

    private static void checkKeys(String experiment, String where, List<ScoredSample> samples, Set<String> keys) {
        for (int i = 0; i < samples.size(); i++) {
            ScoredSample s = samples.get(i);
            if (s == null) {
                throw new IllegalArgumentException(
                        "experiment '" + experiment + "': " + where + " sample #" + i + " is null");
            }
            if (!s.scores().keySet().equals(keys)) {
                throw new IllegalArgumentException("experiment '" + experiment + "': " + where + " sample #" + i
                        + " (image " + s.imageId() + ") has scores "
                        + s.scores().keySet()
                        + " but the first ID sample has " + keys + "; every sample must carry the same scores");
            }
        }
    }

    private static void requireName(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
    }
}
