package dev.runa.server;

import dev.runa.clip.ClipLoader;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.data.LabelSet;
import dev.runa.detect.DetectAndScore;
import dev.runa.detect.ObjectDetector;
import dev.runa.ood.FeatureFusion;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.options.CalibrationOption;
import dev.runa.options.ClipModelOptions;
import dev.runa.setup.DetectorSettings;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The model and RUNA settings of {@code runa serve} and {@code runa bench serve}, with the same
 * names and defaults as {@code runa score}'s (and, with an object detector, {@code runa detect}'s
 * {@code --classes auto}), so that the service answers what the CLI writes.
 */
final class DetectorOptions {
    // --model, --precision and --threads: as in every front end. --classes, --lambda and --adapter
    // stay the service's own: --classes' default depends on --detector (null here when not given).
    @Mixin
    ClipModelOptions model = new ClipModelOptions();

    /** Null when not given: then auto with {@code --detector} (as {@code runa detect}), else voc (as {@code runa score}). */
    @Option(
            names = "--classes",
            paramLabel = "C",
            description = "ID classes: voc, bdd, coco, \"label a,label b\", @file.txt, or auto (the --detector's own"
                    + " class names) (default: auto with --detector, else voc)")
    String classes;

    @Option(
            names = "--lambda",
            defaultValue = "" + FeatureFusion.DEFAULT_LAMBDA,
            paramLabel = "L",
            description = "Weight of the regional view (default: ${DEFAULT-VALUE})")
    double lambda;

    @Option(names = "--adapter", paramLabel = "F", description = "Fine-tuned projection from runa finetune")
    Path adapter;

    @Mixin
    CalibrationOption calibration = new CalibrationOption();

    /** {@code --threads}: the encoder's, and the object detector's. */
    int threads() {
        return model.threads();
    }

    /**
     * Loads the model and opens a detector whose encoder batches hold up to {@code maxBatch} views.
     * The settings are checked before the model loads, and the model is closed again when they do
     * not fit it; both through the library's one builder, so that {@code runa score} and the service
     * accept and refuse the same adapters and calibrations.
     */
    RunaDetector open(int maxBatch) throws IOException {
        return open(maxBatch, null);
    }

    /**
     * Like {@link #open(int)}, for a server with an object detector (or null): its ID classes come
     * from {@link #idClasses}.
     */
    RunaDetector open(int maxBatch, ObjectDetector objects) throws IOException {
        DetectorSettings settings = DetectorSettings.defaults(
                        PromptSet.of(idClasses(objects).promptLabels()))
                .withLambda(lambda)
                .withAdapter(adapter)
                .withCalibration(calibration.load())
                .withMaxViewsPerCall(maxBatch);
        LoadedClip clip = new ClipLoader(
                        new HubClient(HubSettings.fromEnvironment().withProgress(false)),
                        model.encoderOptions(model.threads()).withMaxRunBatch(maxBatch))
                .load(model.model());
        return settings.open(clip);
    }

    /**
     * RUNA's ID classes, chosen as {@code runa detect} chooses them: with a detector, its own class
     * names unless {@code --classes} names others (which must have as many classes as it detects);
     * without one, {@code --classes} (voc when not given).
     */
    LabelSet idClasses(ObjectDetector objects) throws IOException {
        boolean auto = classes == null ? objects != null : classes.trim().equalsIgnoreCase("auto");
        if (objects == null) {
            if (auto) {
                throw new IllegalArgumentException(
                        "--classes auto takes the object detector's class names: it needs --detector F");
            }
            return LabelSet.parse(classes == null ? "voc" : classes);
        }
        return DetectAndScore.idClasses(objects.graph(), objects.source(), auto ? null : LabelSet.parse(classes));
    }
}
