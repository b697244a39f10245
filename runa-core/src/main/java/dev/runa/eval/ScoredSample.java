package dev.runa.eval;

import dev.runa.data.Box;
import dev.runa.data.Detection;
import dev.runa.ood.BoxScores;
import dev.runa.ood.ScoreKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One benchmark sample: a detector box kept by the confidence threshold, with every ID score
 * computed for it (higher = more in-distribution).
 *
 * @param imageId    image id as text, as in {@link Detection#imageId()}
 * @param box        pixel xyxy box
 * @param categoryId the dataset category id the detector assigned
 * @param label      the human-readable name of that category (may be empty, never null)
 * @param confidence the detector's confidence for the box
 * @param scores     score key to value, in the order the report lists them: the CLIP scores use
 *                   {@link ScoreKind#key()} ({@code maxsim}, {@code mcm_t1}, ...), the detector-side
 *                   baselines {@link DetectorBaselines#MSP_KEY} and {@link DetectorBaselines#ENERGY_KEY};
 *                   not empty, every value finite
 */
public record ScoredSample(
        String imageId, Box box, int categoryId, String label, double confidence, Map<String, Double> scores) {
    public ScoredSample {
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(scores, "scores");
        if (!Double.isFinite(confidence)) {
            throw new IllegalArgumentException(
                    "sample on image " + imageId + ": detector confidence is " + confidence + ", must be finite");
        }
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("sample on image " + imageId + " has no scores");
        }
        Map<String, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            String key = e.getKey();
            if (key == null
                    || key.isBlank()
                    || !key.equals(key.strip())
                    || key.contains(",")
                    || key.contains("\"")
                    || key.contains("\n")) {
                throw new IllegalArgumentException("sample on image " + imageId + ": score key '" + key
                        + "' is not usable (blank, padded, or containing a comma, quote or newline)");
            }
            Double v = e.getValue();
            if (v == null || !Double.isFinite(v)) {
                throw new IllegalArgumentException(
                        "sample on image " + imageId + ": score '" + key + "' is " + v + ", must be a finite number");
            }
            copy.put(key, v);
        }
        scores = Collections.unmodifiableMap(copy);
    }

    /** A sample for a detector box with the given category name and scores. */
    public static ScoredSample of(Detection detection, String label, Map<String, Double> scores) {
        return new ScoredSample(
                detection.imageId(), detection.box(), detection.categoryId(), label, detection.score(), scores);
    }

    /**
     * A sample with the CLIP scores of {@code scores} followed by the detector-side baselines the detection's
     * logits or probabilities allow ({@link DetectorBaselines#of}).
     *
     * @param numDetectorClasses K, the detector's number of ID classes (its logits are K or K + 1 long)
     */
    public static ScoredSample of(Detection detection, String label, BoxScores scores, int numDetectorClasses) {
        Map<String, Double> m = scoreMap(scores);
        m.putAll(DetectorBaselines.of(detection, numDetectorClasses));
        return of(detection, label, m);
    }

    /** The score with this key; throws naming the key and the keys present when it is absent. */
    public double score(String key) {
        Double v = scores.get(key);
        if (v == null) {
            throw new IllegalArgumentException(
                    "sample on image " + imageId + " has no score '" + key + "' (it has " + scores.keySet() + ")");
        }
        return v;
    }

    /** The CLIP scores of one box keyed as in every output, in {@link ScoreKind} order. */
    public static Map<String, Double> scoreMap(BoxScores scores) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (ScoreKind k : ScoreKind.values()) {
            m.put(k.key(), scores.get(k));
        }
        return m;
    }
}
