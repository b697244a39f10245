package dev.runa.cli;

import dev.runa.clip.Precision;
import dev.runa.data.LabelSet;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.Calibration;
import dev.runa.ood.FusionMode;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.ScoreKind;
import dev.runa.options.PromptOptions;
import dev.runa.setup.DetectorSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import picocli.CommandLine.Option;

/**
 * The RUNA options shared by {@code score}, {@code calibrate}, {@code eval} and {@code finetune}:
 * ID classes, prompt template and lambda as in every front end ({@link PromptOptions}), and the CLI's
 * fusion, views, adapters and score. Defaults come from {@link dev.runa.ood.RunaOptions#defaults}
 * and {@link BoxViewOptions#DEFAULT}, and {@code --help} shows them.
 */
final class RunaSettingsOptions extends PromptOptions {

    @Option(
            names = "--fusion",
            defaultValue = "EARLY",
            paramLabel = "MODE",
            description = "early (fuse features, then project; the paper) or late (project each view, then fuse)"
                    + " (default: ${DEFAULT-VALUE})")
    FusionMode fusion;

    @Option(
            names = "--margin",
            defaultValue = "0",
            paramLabel = "F",
            description =
                    "Regional view: grow the box by this fraction of its size on each side (default: ${DEFAULT-VALUE})")
    double margin;

    @Option(
            names = "--square-pad",
            description = "Regional view: pad elongated crops to a square instead of centre-cropping")
    boolean squarePad;

    @Option(
            names = "--global-fit",
            defaultValue = "CENTER_CROP",
            paramLabel = "FIT",
            description =
                    "Global view fitted to the square input by: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    BoxViewOptions.GlobalFit globalFit;

    @Option(
            names = "--blur",
            defaultValue = "1",
            paramLabel = "R",
            description =
                    "Gaussian blur radius (std. dev., pixels) outside the box in the global view (default: ${DEFAULT-VALUE})")
    float blur;

    /** The adapter file (the last one given); commands that take one adapter read this. */
    Path adapter;

    /** Every {@code --adapter} value as given, {@code [shots=N:]FILE}; only {@code eval} accepts several. */
    List<String> adapterSpecs = List.of();

    @Option(
            names = "--adapter",
            paramLabel = "[shots=N:]F",
            description = "Fine-tuned projection (from runa finetune). eval accepts it repeatedly (one ablation row"
                    + " per adapter); the optional shots=N: prefix sets the adapter's shots for the shots table"
                    + " (default: the shots recorded in the file)")
    void adapter(List<String> specs) {
        // picocli calls this once per occurrence with the values so far.
        adapterSpecs = List.copyOf(specs);
        adapter = specs.isEmpty() ? null : adapterPath(specs.get(specs.size() - 1));
    }

    /** The file part of an {@code --adapter} value. */
    static Path adapterPath(String spec) {
        return Path.of(SHOTS_PREFIX.matcher(spec).replaceFirst(""));
    }

    /** The shots of an {@code --adapter} value's {@code shots=N:} prefix, or null when it has none. */
    static Integer adapterShots(String spec) {
        Matcher m = SHOTS_PREFIX.matcher(spec);
        return m.lookingAt() ? Integer.valueOf(m.group(1)) : null;
    }

    private static final java.util.regex.Pattern SHOTS_PREFIX = java.util.regex.Pattern.compile("^shots=(\\d{1,6}):");

    @Option(
            names = "--score",
            paramLabel = "KEY",
            description =
                    "Score the decision uses: maxsim, mcm_t1, mcm_t0.01, sum, energy_t0.01 (default: the calibration's, else maxsim)")
    String score;

    /** The {@code --score} value, or null when it is not given (then the calibration's, else maxsim). */
    ScoreKind requestedScore() {
        return score == null ? null : ScoreKind.fromKey(score);
    }

    /** The box view options. */
    BoxViewOptions views() {
        return new BoxViewOptions(margin, squarePad, globalFit, blur);
    }

    /**
     * The library's detector settings these options give, checked (a {@code --score} other than the
     * calibration's is refused here, before a model is loaded).
     */
    DetectorSettings detectorSettings(Calibration calibration, LabelSet labels) {
        if (adapterSpecs.size() > 1) {
            throw new IllegalArgumentException("--adapter is given " + adapterSpecs.size()
                    + " times; this command uses one adapter (only eval compares several)");
        }
        return detectorSettings(labels)
                .withFusion(fusion)
                .withViews(views())
                .withCalibration(calibration)
                .withScore(requestedScore())
                .withAdapter(adapter);
    }

    /**
     * Loads the model {@code models} names and opens a detector with these settings, closing the model
     * again when the settings do not fit it (adapter for another model, mismatched calibration...).
     */
    RunaDetector openDetector(ModelOptions models, Calibration calibration) throws IOException {
        return openDetector(models, calibration, labelSet());
    }

    /** Like {@link #openDetector(ModelOptions, Calibration)} with ID classes chosen by the caller. */
    RunaDetector openDetector(ModelOptions models, Calibration calibration, LabelSet labels) throws IOException {
        DetectorSettings settings = detectorSettings(calibration, labels);
        return settings.open(models.loader().load(models.model()));
    }

    /** Opens a detector like {@link #openDetector(ModelOptions, Calibration)} whose encoder runs at {@code p}. */
    RunaDetector openDetector(ModelOptions models, Precision p, Calibration calibration) throws IOException {
        DetectorSettings settings = detectorSettings(calibration, labelSet());
        return settings.open(models.loader(p).load(models.model()));
    }
}
