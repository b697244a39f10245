package dev.runa.eval;

import dev.runa.data.CocoDataset;
import dev.runa.data.Detection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The detector confidence threshold the VOS code uses to select samples
 * ({@code detection/offline_evaluation/compute_average_precision.py}): run COCO's bbox evaluation
 * (pycocotools {@code COCOeval}: IoU thresholds 0.50:0.05:0.95, 101 recall thresholds, area "all",
 * at most 100 detections per image and class, greedy matching by descending score, crowd regions
 * absorb detections without counting them); take the interpolated precision p(r) and the matching
 * detection score s(r) at each recall threshold r, both averaged over the 10 IoU thresholds; per class
 * pick the first r maximising F1 = 2 p r / (p + r) (a 0/0 at r = 0 wins, as numpy's argmax does with
 * NaN); the class threshold is s at that r; the result is the mean of the non-zero class thresholds.
 *
 * <p>Deviation: VOS's code would average the value -1 for a class without any non-crowd ground truth;
 * such classes are skipped here because their F1 is undefined.
 */
public final class F1OptimalThreshold {
    private static final int MAX_DETS = 100;
    private static final int RECALL_POINTS = 101;

    private F1OptimalThreshold() {}

    /**
     * @param threshold   the confidence to apply to ID and OOD detections
     * @param perCategory each evaluated category id's optimal score (0 when the class never reaches recall)
     */
    public record Result(double threshold, Map<Integer, Double> perCategory) {
        public Result {
            perCategory = Map.copyOf(perCategory);
        }
    }

    /** Computes the threshold from ID ground truth and the detector's results on those images. */
    public static Result compute(CocoDataset groundTruth, List<Detection> detections) {
        // pycocotools walks images in sorted(imgIds) order and its stable score sort keeps that order
        // among equal confidences, so the order decides ties across images.
        Set<String> imageIds = new LinkedHashSet<>(groundTruth.sortedImageIds());
        Map<Integer, Map<String, List<CocoDataset.Annotation>>> gtByCat = new HashMap<>();
        for (CocoDataset.Annotation a : groundTruth.annotations()) {
            gtByCat.computeIfAbsent(a.categoryId(), k -> new HashMap<>())
                    .computeIfAbsent(a.imageId(), k -> new ArrayList<>())
                    .add(a);
        }
        Map<Integer, Map<String, List<Detection>>> dtByCat = new HashMap<>();
        for (Detection d : detections) {
            if (!imageIds.contains(d.imageId())) {
                throw new IllegalArgumentException(
                        "detection on image " + d.imageId() + ", which is not in the ground-truth images");
            }
            dtByCat.computeIfAbsent(d.categoryId(), k -> new HashMap<>())
                    .computeIfAbsent(d.imageId(), k -> new ArrayList<>())
                    .add(d);
        }
        double[] iouThresholds = linspace(0.5, 0.95, 10);
        double[] recallThresholds = linspace(0.0, 1.0, RECALL_POINTS);
        Map<Integer, Double> perCategory = new LinkedHashMap<>();
        double sum = 0;
        int nonZero = 0;
        for (CocoDataset.Category cat : groundTruth.categories()) {
            double t = classThreshold(
                    gtByCat.getOrDefault(cat.id(), Map.of()),
                    dtByCat.getOrDefault(cat.id(), Map.of()),
                    imageIds,
                    iouThresholds,
                    recallThresholds);
            if (Double.isNaN(t)) {
                continue; // no non-crowd ground truth
            }
            perCategory.put(cat.id(), t);
            if (t != 0) {
                sum += t;
                nonZero++;
            }
        }
        if (nonZero == 0) {
            throw new IllegalArgumentException("no class has a detection reaching its ground truth: "
                    + "the F1-optimal threshold is undefined (give a threshold instead)");
        }
        return new Result(sum / nonZero, perCategory);
    }

    /** numpy.linspace: i * step + start, the last value exactly {@code stop}. */
    private static double[] linspace(double start, double stop, int num) {
        double step = (stop - start) / (num - 1);
        double[] v = new double[num];
        for (int i = 0; i < num; i++) {
            v[i] = i * step + start;
        }
        v[num - 1] = stop;
        return v;
    }

    private static double classThreshold(
            Map<String, List<CocoDataset.Annotation>> gts,
            Map<String, List<Detection>> dts,
            Set<String> imageIds,
            double[] iouThr,
            double[] recThr) {
        int nT = iouThr.length;
        List<Double> scores = new ArrayList<>();
        List<boolean[]> matched = new ArrayList<>(); // per kept detection, per IoU threshold
        List<boolean[]> ignored = new ArrayList<>();
        int npig = 0;
        for (String img : imageIds) { // pycocotools concatenates per-image results in image id order
            List<CocoDataset.Annotation> g = new ArrayList<>(gts.getOrDefault(img, List.of()));
            List<Detection> d = new ArrayList<>(dts.getOrDefault(img, List.of()));
            if (g.isEmpty() && d.isEmpty()) {
                continue;
            }
            g.sort(Comparator.comparing(CocoDataset.Annotation::crowd)); // non-crowd first, stable
            d.sort(Comparator.comparingDouble(Detection::score).reversed()); // stable
            if (d.size() > MAX_DETS) {
                d = d.subList(0, MAX_DETS);
            }
            for (CocoDataset.Annotation a : g) {
                if (!a.crowd()) {
                    npig++;
                }
            }
            boolean[][] gtMatched = new boolean[nT][g.size()];
            for (Detection det : d) {
                boolean[] m = new boolean[nT];
                boolean[] ig = new boolean[nT];
                for (int t = 0; t < nT; t++) {
                    double best = Math.min(iouThr[t], 1 - 1e-10);
                    int bestG = -1;
                    for (int j = 0; j < g.size(); j++) {
                        boolean crowd = g.get(j).crowd();
                        if (gtMatched[t][j] && !crowd) {
                            continue;
                        }
                        if (bestG > -1 && !g.get(bestG).crowd() && crowd) {
                            break; // a real match beats any crowd region (crowd sorted last)
                        }
                        double iou = crowd
                                ? det.box().intersectionArea(g.get(j).bbox())
                                        / det.box().area()
                                : det.box().iou(g.get(j).bbox());
                        if (iou < best) {
                            continue;
                        }
                        best = iou;
                        bestG = j;
                    }
                    if (bestG >= 0) {
                        m[t] = true;
                        ig[t] = g.get(bestG).crowd();
                        gtMatched[t][bestG] = true;
                    }
                }
                scores.add(det.score());
                matched.add(m);
                ignored.add(ig);
            }
        }
        if (npig == 0) {
            return Double.NaN;
        }
        int nd = scores.size();
        Integer[] order = new Integer[nd];
        for (int i = 0; i < nd; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order, Comparator.comparingDouble((Integer i) -> scores.get(i)).reversed());
        int nR = recThr.length;
        double[] precisionSum = new double[nR];
        double[] scoreSum = new double[nR];
        double eps = Math.ulp(1.0); // np.spacing(1)
        for (int t = 0; t < nT; t++) {
            double[] rc = new double[nd];
            double[] pr = new double[nd];
            double tp = 0;
            double fp = 0;
            for (int r = 0; r < nd; r++) {
                int i = order[r];
                if (!ignored.get(i)[t]) {
                    if (matched.get(i)[t]) {
                        tp++;
                    } else {
                        fp++;
                    }
                }
                rc[r] = tp / npig;
                pr[r] = tp / (fp + tp + eps);
            }
            for (int r = nd - 1; r > 0; r--) {
                if (pr[r] > pr[r - 1]) {
                    pr[r - 1] = pr[r];
                }
            }
            int pi = 0;
            for (int ri = 0; ri < nR; ri++) {
                while (pi < nd && rc[pi] < recThr[ri]) { // np.searchsorted(rc, recThr, side='left')
                    pi++;
                }
                if (pi >= nd) {
                    break; // pycocotools stops filling at the first unreachable recall (q, ss stay 0)
                }
                precisionSum[ri] += pr[pi];
                scoreSum[ri] += scores.get(order[pi]);
            }
        }
        int bestR = -1;
        double bestF1 = Double.NEGATIVE_INFINITY;
        for (int ri = 0; ri < nR; ri++) {
            double p = precisionSum[ri] / nT;
            double r = recThr[ri];
            double f1 = 2 * (p * r) / (p + r);
            if (Double.isNaN(f1)) {
                bestR = ri; // numpy's argmax returns the first NaN
                break;
            }
            if (f1 > bestF1) {
                bestF1 = f1;
                bestR = ri;
            }
        }
        return scoreSum[bestR] / nT;
    }
}
