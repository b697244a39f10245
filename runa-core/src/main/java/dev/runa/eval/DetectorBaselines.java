package dev.runa.eval;

import dev.runa.data.Detection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The detector-side OOD baselines, computed from the detector's own per-box outputs, as the VOS code
 * computes them ({@code voc_coco_plot.py} / {@code bdd_coco_plot.py} in deeplearning-wisc/vos): the
 * {@code inter_feat} of a box are K + 1 logits with the background class LAST; the background logit is
 * dropped ({@code inter_feat[:, :-1]}) and then
 * <ul>
 *   <li>MSP = {@code max softmax(logits[:K])}: the softmax is taken over the K class logits only,
 *       not over all K + 1 and then restricted;</li>
 *   <li>energy = {@code T * logsumexp(logits[:K] / T)} with T = 1 (VOS's default {@code --T 1}).</li>
 * </ul>
 * VOS negates both into uncertainties and negates again before its metrics; here they are ID scores
 * directly (higher = more in-distribution), like every score in the report.
 *
 * <p>Length rule: a logit (or probability) vector of length K + 1 loses its last element; a vector of
 * length K is used whole (a detector that writes no background); any other length is an error.
 *
 * <p>When a box has only class probabilities ({@code cls_prob}, a softmax over K + 1), MSP is still
 * exactly available: the softmax over the first K logits equals the first K probabilities renormalised
 * to sum 1, so MSP = {@code max(p[:K]) / sum(p[:K])}. Energy needs the logits' normaliser and is then absent.
 */
public final class DetectorBaselines {
    /** Report key of the detector's maximum softmax probability. */
    public static final String MSP_KEY = "det_msp";
    /** Report key of the detector's energy score (T = 1). */
    public static final String ENERGY_KEY = "det_energy";

    private DetectorBaselines() {}

    /**
     * The baselines available for {@code detection}: both when it has logits, MSP alone when it has only
     * class probabilities, none otherwise.
     *
     * @param numClasses K, the number of ID classes of the detector
     */
    public static Map<String, Double> of(Detection detection, int numClasses) {
        Map<String, Double> m = new LinkedHashMap<>();
        String where = "detection on image " + detection.imageId();
        if (detection.hasLogits()) {
            float[] logits = detection.logits();
            m.put(MSP_KEY, msp(logits, numClasses, where));
            m.put(ENERGY_KEY, energy(logits, numClasses, where));
        } else if (detection.hasClassProbs()) {
            m.put(MSP_KEY, mspFromProbabilities(detection.classProbs(), numClasses, where));
        }
        return m;
    }

    /** MSP: the largest softmax probability over the K class logits (background dropped first). */
    public static double msp(float[] logits, int numClasses, String where) {
        int k = classCount(logits, numClasses, where, "logits (inter_feat)");
        double max = max(logits, k);
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += Math.exp(logits[i] - max);
        }
        // The largest class has exp(0) = 1 in the shifted sum.
        return 1.0 / sum;
    }

    /** Energy at T = 1: {@code logsumexp} of the K class logits (background dropped first). */
    public static double energy(float[] logits, int numClasses, String where) {
        int k = classCount(logits, numClasses, where, "logits (inter_feat)");
        double max = max(logits, k);
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += Math.exp(logits[i] - max);
        }
        return max + Math.log(sum);
    }

    /** MSP from class probabilities: {@code max(p[:K]) / sum(p[:K])} (background dropped first). */
    public static double mspFromProbabilities(float[] probabilities, int numClasses, String where) {
        int k = classCount(probabilities, numClasses, where, "class probabilities (cls_prob)");
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            if (probabilities[i] < 0) {
                throw new IllegalArgumentException(
                        where + ": class probability #" + i + " is negative (" + probabilities[i] + ")");
            }
            sum += probabilities[i];
            max = Math.max(max, probabilities[i]);
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException(
                    where + ": the " + k + " class probabilities sum to 0, MSP is undefined");
        }
        return max / sum;
    }

    private static int classCount(float[] values, int numClasses, String where, String what) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("number of classes must be >= 1, got " + numClasses);
        }
        if (values.length != numClasses && values.length != numClasses + 1) {
            throw new IllegalArgumentException(where + ": " + values.length + " " + what + ", expected " + numClasses
                    + " (K classes) or " + (numClasses + 1) + " (K classes + background last)");
        }
        for (int i = 0; i < numClasses; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(where + ": " + what + " #" + i + " is " + values[i]);
            }
        }
        return numClasses;
    }

    private static double max(float[] v, int k) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            m = Math.max(m, v[i]);
        }
        return m;
    }
}
