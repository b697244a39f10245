package dev.runa.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.adapter.Adapter;
import dev.runa.adapter.AdapterFile;
import dev.runa.adapter.AdapterProvenance;
import dev.runa.data.LabelSet;
import dev.runa.features.FeatureCache;
import dev.runa.features.ImageDigests;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.FusionMode;
import dev.runa.ood.Projection;
import dev.runa.ood.PromptSet;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole few-shot path short of the real backbone: COCO ground truth -> split -> shots -> cached
 * features from a synthetic encoder -> projection training -> held-out accuracy -> adapter file.
 * The encoder gives each class a fixed random mean plus noise, so the class is recoverable from the
 * feature, while the "pretrained" projection and the prompts are random, so zero-shot accuracy is
 * near chance: training must raise it, and this test fails when it does not.
 */
class FewShotPipelineTest {
    @TempDir
    Path dir;

    static final int K = 4, D = 32, P = 16, PER_CLASS = 30;

    private Path cocoDataset() throws IOException {
        StringBuilder images = new StringBuilder();
        StringBuilder anns = new StringBuilder();
        Random rng = new Random(1);
        for (int i = 0; i < K * PER_CLASS; i++) {
            BufferedImage img = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
            img.setRGB(i % 100, i / 100, rng.nextInt()); // distinct files, distinct digests
            ImageIO.write(img, "png", dir.resolve("im" + i + ".png").toFile());
            images.append(i == 0 ? "" : ",")
                    .append("{\"id\": ")
                    .append(i)
                    .append(", \"file_name\": \"im")
                    .append(i)
                    .append(".png\", \"width\": 100, \"height\": 100}");
            anns.append(i == 0 ? "" : ",")
                    .append("{\"image_id\": ")
                    .append(i)
                    .append(", \"category_id\": ")
                    .append(i % K + 1)
                    .append(", \"bbox\": [")
                    .append(i % 50)
                    .append(", 10, 40, 30]}");
        }
        Path f = dir.resolve("train.json");
        Files.writeString(
                f,
                "{\"images\": [" + images + "], \"annotations\": [" + anns + "], \"categories\": ["
                        + "{\"id\": 1, \"name\": \"circle\"}, {\"id\": 2, \"name\": \"square\"}, {\"id\": 3, \"name\": \"triangle\"},"
                        + "{\"id\": 4, \"name\": \"star\"}]}");
        return f;
    }

    private static float[][] gaussian(Random rng, int rows, int cols, double scale) {
        float[][] m = new float[rows][cols];
        for (float[] r : m) {
            for (int j = 0; j < cols; j++) {
                r[j] = (float) (rng.nextGaussian() * scale);
            }
        }
        return m;
    }

    @Test
    void fineTuningRaisesHeldOutAccuracyAndFeaturesAreReused() throws IOException {
        LabelSet labels = LabelSet.of("shapes", List.of("circle", "square", "triangle", "star"));
        GroundTruth gt = GroundTruth.load(cocoDataset(), labels, GroundTruth.Options.defaults());
        assertEquals(K * PER_CLASS, gt.regions().size());

        IdSplit split = IdSplit.split(gt.regions(), K, 1.0 / 3, 5);
        FewShotSampler.Sample shots = new FewShotSampler(10, 7).sample(split.train(), K);
        assertEquals(K * 10, shots.regions().size());

        Random rng = new Random(2);
        float[][] means = gaussian(rng, K, D, 1.0);
        AtomicInteger encoderCalls = new AtomicInteger();
        CachedRegionFeatures.Encoder encoder = r -> {
            encoderCalls.incrementAndGet();
            Random noise = new Random(r.imageFile().getFileName().toString().hashCode() * 31L
                    + (long) r.box().x1());
            float[] f = means[r.classIndex()].clone();
            for (int j = 0; j < D; j++) {
                f[j] += (float) (noise.nextGaussian() * 0.5);
            }
            return f;
        };
        FeatureCache cache = FeatureCache.open(dir.resolve("cache"), s -> {});
        ImageDigests digests = new ImageDigests();
        CachedRegionFeatures feats = new CachedRegionFeatures(cache, digests, "random:tiny", BoxViewOptions.DEFAULT);
        CachedRegionFeatures.Result train = feats.features(shots.regions(), encoder, null);
        assertEquals(K * 10, train.computed());
        CachedRegionFeatures.Result held = feats.features(split.heldOut(), encoder, null);

        // a second run (another process would open the same folder) computes nothing
        CachedRegionFeatures again = new CachedRegionFeatures(
                FeatureCache.open(dir.resolve("cache"), s -> {}),
                new ImageDigests(),
                "random:tiny",
                BoxViewOptions.DEFAULT);
        CachedRegionFeatures.Result reread = again.features(shots.regions(), encoder, null);
        assertEquals(K * 10, reread.reused());
        assertEquals(0, reread.computed());
        for (int i = 0; i < train.features().length; i++) {
            assertArrayEquals(train.features()[i], reread.features()[i], 0f);
        }
        assertEquals(K * 10 + split.heldOut().size(), encoderCalls.get());

        float[][] prompts = gaussian(rng, K, P, 1.0);
        for (int j = 0; j < K; j++) {
            prompts[j] = Projection.normalize(prompts[j]);
        }
        float[][] w0 = gaussian(rng, P, D, 1.0 / Math.sqrt(D));
        float[] flat = new float[P * D];
        for (int o = 0; o < P; o++) {
            System.arraycopy(w0[o], 0, flat, o * D, D);
        }
        Projection initial = new Projection(flat, P, D);
        HeldOutEvaluator eval = new HeldOutEvaluator(held.features(), held.labels(), prompts);
        double before = eval.accuracy(initial);
        TrainingSettings settings =
                TrainingSettings.paperDefaults().withLearningRate(1e-2).withEpochs(100);
        ProjectionTrainer.Result result =
                new ProjectionTrainer(settings).train(train.features(), train.labels(), prompts, initial, null);
        double after = eval.accuracy(result.projection());
        // Measured: 0.025 -> 1.000 on these seeds (40 held-out regions), loss 46.7 -> 0.00. The bounds leave room
        // for a different but correct optimiser path, yet fail when nothing is learnt.
        assertTrue(before < 0.5, "zero-shot accuracy on random prompts should be near chance, got " + before);
        assertTrue(after >= 0.9, "fine-tuned accuracy " + after + " (zero-shot " + before + ")");
        assertTrue(result.finalLoss() < result.initialLoss() / 2, result.initialLoss() + " -> " + result.finalLoss());

        Adapter adapter = new Adapter(
                result.projection(),
                new AdapterProvenance(
                        "random:tiny",
                        "",
                        PromptSet.of(labels.promptLabels()).labels(),
                        PromptSet.DEFAULT_TEMPLATE,
                        1.0,
                        FusionMode.EARLY,
                        "margin=0",
                        shots.perClass().get(0).requested(),
                        7,
                        settings.epochs(),
                        settings.learningRate(),
                        result.finalLoss(),
                        Instant.now()));
        Path file = dir.resolve("adapter.safetensors");
        AdapterFile.write(file, adapter);
        Adapter loaded = AdapterFile.read(file);
        loaded.requireCompatible("random:tiny", labels.promptLabels());
        assertEquals(after, eval.accuracy(loaded.projection()), 0.0);
        System.out.printf(
                "few-shot pipeline: held-out accuracy %.3f -> %.3f, loss %.4f -> %.4f%n",
                before, after, result.initialLoss(), result.finalLoss());
    }
}
