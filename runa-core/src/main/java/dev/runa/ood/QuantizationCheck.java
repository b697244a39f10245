package dev.runa.ood;

import dev.runa.data.Box;
import dev.runa.image.PixelImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares an int8 detector with an fp32 one on the same images and boxes: cosine of the pooled
 * features and of the projected embeddings, |delta| of maxsim and of the decision score, and how many
 * ID/OOD decisions flip at one threshold (the calibration's, or else the fp32 threshold that keeps
 * {@link Calibration#DEFAULT_ID_ACCEPT_RATE} of these boxes ID). Both detectors must share every
 * setting but the encoder's precision. Not thread-safe; the detectors stay owned by the caller.
 */
public final class QuantizationCheck {
    private final RunaDetector fp32;
    private final RunaDetector int8;
    private final Cosines pooled = new Cosines();
    private final Cosines embedding = new Cosines();
    private final List<ScoredPair> pairs = new ArrayList<>();
    private int images;

    /** Decision score and maxsim of one box under both encoders. */
    private record ScoredPair(double scoreFp32, double scoreInt8, double maxsimFp32, double maxsimInt8) {}

    public QuantizationCheck(RunaDetector fp32, RunaDetector int8) {
        this.fp32 = fp32;
        this.int8 = int8;
    }

    /** Adds one image's boxes; boxes that either detector cannot score count in no statistic. */
    public void add(String source, PixelImage image, List<Box> boxes) {
        images++;
        PreparedImage prepared = fp32.prepare(source, image, boxes);
        List<BoxFeatures> fa = fp32.features(List.of(prepared)).get(0);
        List<BoxFeatures> fb = int8.features(List.of(prepared)).get(0);
        Projection p = fp32.pretrainedProjection();
        for (int i = 0; i < fa.size(); i++) {
            if (fa.get(i) == null || fb.get(i) == null) {
                continue;
            }
            pooled.add(fa.get(i).regional(), fb.get(i).regional());
            pooled.add(fa.get(i).global(), fb.get(i).global());
            if (fa.get(i).regional() != null) {
                embedding.add(p.apply(fa.get(i).regional()), p.apply(fb.get(i).regional()));
            }
            if (fa.get(i).global() != null) {
                embedding.add(p.apply(fa.get(i).global()), p.apply(fb.get(i).global()));
            }
        }
        ScoreKind kind = fp32.options().decisionScore();
        List<BoxResult> ra = fp32.score(List.of(prepared)).get(0);
        List<BoxResult> rb = int8.score(List.of(prepared)).get(0);
        for (int i = 0; i < ra.size(); i++) {
            if (ra.get(i).ok() && rb.get(i).ok()) {
                pairs.add(new ScoredPair(
                        ra.get(i).scores().get(kind),
                        rb.get(i).scores().get(kind),
                        ra.get(i).scores().maxsim(),
                        rb.get(i).scores().maxsim()));
            }
        }
    }

    /**
     * The comparison so far.
     *
     * @param calibration the threshold to count flips at; null fits the fp32 one on these boxes
     * @throws IllegalStateException when no box could be scored
     */
    public Result result(Calibration calibration) {
        if (pairs.isEmpty()) {
            throw new IllegalStateException("no box could be scored (all boxes empty or outside their images?)");
        }
        ScoreKind kind = fp32.options().decisionScore();
        double threshold = calibration != null
                ? calibration.threshold()
                : Calibration.fit(
                                pairs.stream()
                                        .mapToDouble(ScoredPair::scoreFp32)
                                        .toArray(),
                                kind,
                                Calibration.DEFAULT_ID_ACCEPT_RATE,
                                null)
                        .threshold();
        int flips = 0;
        double maxDelta = 0;
        double sumDelta = 0;
        double maxScoreDelta = 0;
        for (ScoredPair p : pairs) {
            if ((p.scoreFp32() < threshold) != (p.scoreInt8() < threshold)) {
                flips++;
            }
            double d = Math.abs(p.maxsimFp32() - p.maxsimInt8());
            maxDelta = Math.max(maxDelta, d);
            sumDelta += d;
            maxScoreDelta = Math.max(maxScoreDelta, Math.abs(p.scoreFp32() - p.scoreInt8()));
        }
        return new Result(
                images,
                pairs.size(),
                pooled.count,
                pooled.min,
                pooled.mean(),
                embedding.min,
                embedding.mean(),
                maxDelta,
                sumDelta / pairs.size(),
                kind,
                threshold,
                calibration != null,
                maxScoreDelta,
                flips);
    }

    /**
     * @param images              images added
     * @param boxes               boxes both detectors scored
     * @param views               views whose pooled features were compared
     * @param pooledCosineMin     smallest cosine between fp32 and int8 pooled features
     * @param pooledCosineMean    their mean cosine
     * @param embeddingCosineMin  smallest cosine between the projected embeddings
     * @param embeddingCosineMean their mean cosine
     * @param maxsimDeltaMax      largest |maxsim(fp32) - maxsim(int8)|
     * @param maxsimDeltaMean     its mean
     * @param score               the decision score
     * @param threshold           the threshold decisions are taken at
     * @param calibrated          true when the threshold is the calibration's, false when fitted here
     * @param scoreDeltaMax       largest |delta| of the decision score
     * @param decisionFlips       boxes whose ID/OOD decision differs between the encoders
     */
    public record Result(
            int images,
            int boxes,
            int views,
            double pooledCosineMin,
            double pooledCosineMean,
            double embeddingCosineMin,
            double embeddingCosineMean,
            double maxsimDeltaMax,
            double maxsimDeltaMean,
            ScoreKind score,
            double threshold,
            boolean calibrated,
            double scoreDeltaMax,
            int decisionFlips) {}

    /** Running min/mean of cosines between paired vectors (pairs with a null side are skipped). */
    private static final class Cosines {
        double min = 1;
        double sum;
        int count;

        void add(float[] a, float[] b) {
            if (a == null || b == null) {
                return;
            }
            double ab = 0, aa = 0, bb = 0;
            for (int i = 0; i < a.length; i++) {
                ab += (double) a[i] * b[i];
                aa += (double) a[i] * a[i];
                bb += (double) b[i] * b[i];
            }
            double c = ab / Math.sqrt(aa * bb);
            min = Math.min(min, c);
            sum += c;
            count++;
        }

        double mean() {
            return count == 0 ? Double.NaN : sum / count;
        }
    }
}
