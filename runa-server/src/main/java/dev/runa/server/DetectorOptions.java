package dev.runa.server;

import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.Precision;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.data.LabelSet;
import dev.runa.ood.Calibration;
import dev.runa.ood.FeatureFusion;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.setup.DetectorSettings;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The model and RUNA settings of {@code runa serve} and {@code runa bench serve}, with the same
 * names and defaults as {@code runa score}'s, so that the service answers what the CLI writes.
 */
final class DetectorOptions {
    @Option(
            names = "--model",
            defaultValue = ClipLoader.DEFAULT_MODEL,
            paramLabel = "M",
            description = "Hugging Face id, checkpoint directory or random:NAME (default: ${DEFAULT-VALUE})")
    String model;

    @Option(
            names = "--classes",
            defaultValue = "voc",
            paramLabel = "C",
            description = "ID classes: voc, bdd, \"label a,label b\" or @file.txt (default: ${DEFAULT-VALUE})")
    String classes;

    @Option(
            names = "--lambda",
            defaultValue = "" + FeatureFusion.DEFAULT_LAMBDA,
            paramLabel = "L",
            description = "Weight of the regional view (default: ${DEFAULT-VALUE})")
    double lambda;

    @Option(names = "--adapter", paramLabel = "F", description = "Fine-tuned projection from runa finetune")
    Path adapter;

    @Option(
            names = "--calibration",
            paramLabel = "F",
            description = "Threshold from runa calibrate; without it 'ood' is null")
    Path calibration;

    @Option(
            names = "--precision",
            defaultValue = "fp32",
            paramLabel = "P",
            description = "Vision encoder arithmetic: fp32, int8 or auto (default: ${DEFAULT-VALUE})")
    String precision;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "ONNX Runtime threads per encoder batch (default: ${DEFAULT-VALUE})")
    int threads = EncoderOptions.defaultThreads();

    /**
     * Loads the model and opens a detector whose encoder batches hold up to {@code maxBatch} views.
     * The settings are checked before the model loads, and the model is closed again when they do
     * not fit it; both through the library's one builder, so that {@code runa score} and the service
     * accept and refuse the same adapters and calibrations.
     */
    RunaDetector open(int maxBatch) throws IOException {
        DetectorSettings settings = DetectorSettings.defaults(
                        PromptSet.of(LabelSet.parse(classes).promptLabels()))
                .withLambda(lambda)
                .withAdapter(adapter)
                .withCalibration(calibration == null ? null : Calibration.load(calibration))
                .withMaxViewsPerCall(maxBatch);
        LoadedClip clip = new ClipLoader(
                        new HubClient(HubSettings.fromEnvironment().withProgress(false)),
                        EncoderOptions.defaults()
                                .withThreads(threads)
                                .withPrecision(Precision.parse(precision))
                                .withMaxRunBatch(maxBatch))
                .load(model);
        return settings.open(clip);
    }
}
