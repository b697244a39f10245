package dev.runa.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.data.LabelSet;
import dev.runa.eval.OodMetrics;
import dev.runa.features.FeatureCache;
import dev.runa.features.ImageDigests;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.FusionMode;
import dev.runa.ood.Projection;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learning test of few-shot ID alignment on a real (tiny, random) CLIP: generated images of four
 * coloured-shape classes, 10 shots per class, fine-tuning must lower the training loss and raise
 * held-out ID accuracy clearly above zero-shot. ID-vs-OOD AUROC (OOD: unseen colours and shapes)
 * before and after is reported, not asserted: a random backbone's pooled feature need not separate
 * unseen objects (the reference implementation measured 0.42 -> 0.45 on its tiny random model).
 */
class FewShotLearningTest {
    @TempDir
    Path dir;

    static LoadedClip tiny() {
        HubSettings offline = HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1"), Path.of("/nonexistent"));
        return new ClipLoader(new HubClient(offline), EncoderOptions.defaults()).load("random:tiny");
    }

    /** maxsim: the highest cosine similarity of the projected feature to a class prompt. */
    static double[] maxsim(float[][] features, Projection p, float[][] unitPrompts) {
        double[] out = new double[features.length];
        for (int i = 0; i < features.length; i++) {
            float[] z = Projection.normalize(p.apply(features[i]));
            double best = Double.NEGATIVE_INFINITY;
            for (float[] t : unitPrompts) {
                double dot = 0;
                for (int j = 0; j < z.length; j++) {
                    dot += (double) z[j] * t[j];
                }
                best = Math.max(best, dot);
            }
            out[i] = best;
        }
        return out;
    }

    /** Before/after numbers of one learning run. */
    record Outcome(FewShotFineTuner.Report report, double aurocBefore, double aurocAfter) {}

    /** Generates the data, fine-tunes 10 shots x 4 classes and measures accuracy and ID-vs-OOD AUROC. */
    Outcome learn(LoadedClip clip, String name, double lr, int epochs) throws IOException {
        List<ShapesDataset.Kind> kinds = ShapesDataset.ID;
        Path idJson = ShapesDataset.write(dir.resolve("id"), kinds, 30, 11, 128, 64);
        Path oodJson = ShapesDataset.write(dir.resolve("ood"), ShapesDataset.OOD, 14, 12, 128, 64);
        LabelSet labels = LabelSet.fromCommaList(ShapesDataset.classList(kinds));
        LabelSet oodLabels = LabelSet.fromCommaList(ShapesDataset.classList(ShapesDataset.OOD));
        GroundTruth gt = GroundTruth.load(idJson, labels, GroundTruth.Options.defaults());
        GroundTruth ood = GroundTruth.load(oodJson, oodLabels, GroundTruth.Options.defaults());
        assertEquals(120, gt.regions().size());

        PromptSet prompts = PromptSet.of(labels.promptLabels());
        BoxViewOptions views = BoxViewOptions.DEFAULT;
        FeatureCache cache = FeatureCache.open(dir.resolve("cache"), s -> {});
        CachedRegionFeatures features = new CachedRegionFeatures(cache, new ImageDigests(), clip.identity(), views);
        FewShotFineTuner.Model model = new FewShotFineTuner.Model(
                clip.modelIdentity(),
                RunaDetector.promptEmbeddings(clip, prompts),
                RunaDetector.pretrainedProjection(clip));
        BackboneRegionEncoder encoder = new BackboneRegionEncoder(clip.model().vision(), views, 16, 2);
        TrainingSettings training =
                TrainingSettings.paperDefaults().withLearningRate(lr).withEpochs(epochs);
        FewShotFineTuner.Request request =
                new FewShotFineTuner.Request(prompts, 10, 3, 1.0 / 3, training, views, 1.0, FusionMode.EARLY);
        FewShotFineTuner.Report r = new FewShotFineTuner(model, features, encoder).run(gt.regions(), request, null);
        assertEquals(40, r.shots().regions().size());
        assertEquals(40, r.heldOut());
        assertEquals(80, r.featuresComputed());

        CachedRegionFeatures.Result oodFeats = features.features(ood.regions(), encoder, null);
        IdSplit split = IdSplit.split(gt.regions(), labels.size(), 1.0 / 3, 3);
        CachedRegionFeatures.Result held = features.features(split.heldOut(), encoder, null);
        assertEquals(held.features().length, held.reused(), "held-out features come from the cache");
        double aurocBefore = OodMetrics.compute(
                        maxsim(held.features(), model.pretrained(), model.prompts()),
                        maxsim(oodFeats.features(), model.pretrained(), model.prompts()))
                .auroc();
        Projection trained = r.adapter().projection();
        double aurocAfter = OodMetrics.compute(
                        maxsim(held.features(), trained, model.prompts()),
                        maxsim(oodFeats.features(), trained, model.prompts()))
                .auroc();
        System.out.printf(
                "%s, 10 shots x 4 classes, lr %g, %d epochs: loss %.4f -> %.4f,"
                        + " held-out accuracy %.3f -> %.3f, ID-vs-OOD AUROC %.3f -> %.3f (%d ID, %d OOD), %.2f s"
                        + " features, %.2f s epochs%n",
                name,
                lr,
                epochs,
                r.initialLoss(),
                r.finalLoss(),
                r.heldOutBefore(),
                r.heldOutAfter(),
                aurocBefore,
                aurocAfter,
                held.features().length,
                oodFeats.features().length,
                r.featureSeconds(),
                r.trainingSeconds());
        return new Outcome(r, aurocBefore, aurocAfter);
    }

    @Test
    void fineTuningOnTenShotsRaisesHeldOutAccuracyOnATinyRandomClip() throws IOException {
        try (LoadedClip clip = tiny()) {
            FewShotFineTuner.Report r =
                    learn(clip, "tiny random CLIP", 1e-2, 300).report();
            assertTrue(r.finalLoss() < r.initialLoss() * 0.5, "loss " + r.initialLoss() + " -> " + r.finalLoss());
            // Chance is 0.25. Measured here 0.25 -> 0.50 (same for shot seeds 1, 2, 3 and another dataset seed;
            // the reference implementation measured 0.25 -> 0.71 on its own tiny random model, whose init differs).
            // "Clearly above zero-shot": at least 0.2 higher (8 of 40 held-out boxes); it fails when nothing is
            // learnt (100 epochs at this lr stay at 0.25).
            assertTrue(
                    r.heldOutAfter() >= r.heldOutBefore() + 0.2,
                    "held-out accuracy " + r.heldOutBefore() + " -> " + r.heldOutAfter());
        }
    }

    /**
     * On a backbone whose pooled feature carries the image by construction ({@link PoolingCheckpoint}), 10 shots
     * must give near-perfect held-out accuracy (measured 0.000 -> 1.000).
     */
    @Test
    void onABackboneThatPoolsPatchesFineTuningLearnsTheClasses() throws IOException {
        Path ckpt = PoolingCheckpoint.write(dir.resolve("pooling-ckpt"));
        HubSettings offline = HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1"), Path.of("/nonexistent"));
        try (LoadedClip clip =
                new ClipLoader(new HubClient(offline), EncoderOptions.defaults()).load(ckpt.toString())) {
            Outcome o = learn(clip, "tiny pooling CLIP", 1e-2, 300);
            FewShotFineTuner.Report r = o.report();
            assertTrue(r.finalLoss() < r.initialLoss() * 0.5, "loss " + r.initialLoss() + " -> " + r.finalLoss());
            assertTrue(
                    r.heldOutAfter() >= 0.9 && r.heldOutAfter() >= r.heldOutBefore() + 0.3,
                    "held-out accuracy " + r.heldOutBefore() + " -> " + r.heldOutAfter());
            // AUROC is reported, not asserted: with these OOD objects it rose 0.446 -> 0.545, but with white/black/
            // magenta ones it fell 0.586 -> 0.382, so a 10-shot alignment of this toy backbone does not reliably
            // separate unseen objects and an assertion would test the data, not the code.
            assertTrue(o.aurocBefore() >= 0 && o.aurocAfter() <= 1);
        }
    }
}
