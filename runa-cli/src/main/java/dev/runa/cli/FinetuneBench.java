package dev.runa.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.data.Box;
import dev.runa.features.FeatureCache;
import dev.runa.features.ImageDigests;
import dev.runa.finetune.BackboneRegionEncoder;
import dev.runa.finetune.CachedRegionFeatures;
import dev.runa.finetune.FewShotFineTuner;
import dev.runa.finetune.LabelledRegion;
import dev.runa.finetune.TrainingSettings;
import dev.runa.io.FileTrees;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.FeatureFusion;
import dev.runa.ood.FusionMode;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * {@code runa bench finetune}: the few-shot fine-tuning costs of docs/method.md section 5 on generated
 * data: the frozen backbone's regional features for {@code shots x classes} regions (computed once,
 * into an empty cache), then the epochs of projection training on those cached features, with the
 * paper's settings (batch 256, AdamW). Output: a summary, then as the LAST line one JSON document.
 */
final class FinetuneBench {
    private final String model;
    private final EncoderOptions options;
    private final int classes;
    private final int shots;
    private final int epochs;

    FinetuneBench(String model, EncoderOptions options, int classes, int shots, int epochs) {
        if (classes < 2 || shots < 1 || epochs < 1) {
            throw new IllegalArgumentException("bench finetune needs --classes >= 2, --shots >= 1 and --epochs >= 1");
        }
        this.model = model;
        this.options = options;
        this.classes = classes;
        this.shots = shots;
        this.epochs = epochs;
    }

    int run(PrintWriter out) throws IOException {
        Path dir = Files.createTempDirectory("runa-bench-finetune");
        try {
            List<String> labels = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                labels.add("class " + c);
            }
            PromptSet prompts = PromptSet.of(labels);
            List<LabelledRegion> regions = regions(dir);
            HubSettings offline = HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1"), dir.resolve("hub"));
            FewShotFineTuner.Report r;
            try (LoadedClip clip = new ClipLoader(new HubClient(offline), options).load(model)) {
                BoxViewOptions views = BoxViewOptions.DEFAULT;
                CachedRegionFeatures features = new CachedRegionFeatures(
                        FeatureCache.open(dir.resolve("cache")), new ImageDigests(), clip.identity(), views);
                FewShotFineTuner tuner = new FewShotFineTuner(
                        new FewShotFineTuner.Model(
                                clip.modelIdentity(),
                                RunaDetector.promptEmbeddings(clip, prompts),
                                RunaDetector.pretrainedProjection(clip)),
                        features,
                        new BackboneRegionEncoder(clip.model().vision(), views, 16, 2));
                TrainingSettings training = TrainingSettings.paperDefaults().withEpochs(epochs);
                r = tuner.run(
                        regions,
                        new FewShotFineTuner.Request(
                                prompts, shots, 0, 0, training, views, FeatureFusion.DEFAULT_LAMBDA, FusionMode.EARLY),
                        null);
            }
            out.printf(
                    Locale.ROOT,
                    "few-shot fine-tuning, %s, %d classes x %d shots = %d regions, %d epochs%n",
                    model,
                    classes,
                    shots,
                    regions.size(),
                    epochs);
            out.printf(
                    Locale.ROOT,
                    "features: %d computed in %.1f s (%.3f s per region, backbone frozen, cached)%n",
                    r.featuresComputed(),
                    r.featureSeconds(),
                    r.featureSeconds() / Math.max(1, r.featuresComputed()));
            out.printf(
                    Locale.ROOT,
                    "epochs:   %d in %.2f s (%.1f ms per epoch), loss %.4f -> %.4f%n",
                    epochs,
                    r.trainingSeconds(),
                    1000 * r.trainingSeconds() / epochs,
                    r.initialLoss(),
                    r.finalLoss());
            ObjectMapper json = new ObjectMapper();
            ObjectNode doc = json.createObjectNode();
            doc.put("target", "finetune");
            doc.put("model", model);
            doc.put("regions", regions.size());
            doc.put("feature_seconds", Math.round(r.featureSeconds() * 1000) / 1000.0);
            doc.put("epochs", epochs);
            doc.put("epoch_seconds", Math.round(r.trainingSeconds() * 1000) / 1000.0);
            doc.put("peak_rss_mb", BenchCommand.peakRssMb());
            out.println(json.writeValueAsString(doc));
        } finally {
            FileTrees.delete(dir);
        }
        return 0;
    }

    /** One 320x240 noise image per class with {@code shots} boxes of that class on it. */
    private List<LabelledRegion> regions(Path dir) throws IOException {
        Random rnd = new Random(3);
        List<LabelledRegion> out = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 240; y++) {
                for (int x = 0; x < 320; x++) {
                    img.setRGB(x, y, rnd.nextInt(1 << 24));
                }
            }
            Path f = dir.resolve("class" + c + ".png");
            ImageIO.write(img, "png", f.toFile());
            for (int s = 0; s < shots; s++) {
                double x1 = rnd.nextInt(200);
                double y1 = rnd.nextInt(140);
                out.add(new LabelledRegion(
                        f,
                        "class" + c,
                        new Box(x1, y1, x1 + 40 + rnd.nextInt(80), y1 + 40 + rnd.nextInt(60)),
                        c,
                        "class " + c));
            }
        }
        return out;
    }
}
