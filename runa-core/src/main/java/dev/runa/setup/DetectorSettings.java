package dev.runa.setup;

import dev.runa.adapter.Adapter;
import dev.runa.adapter.AdapterFile;
import dev.runa.clip.LoadedClip;
import dev.runa.ood.AdapterProjection;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.Calibration;
import dev.runa.ood.FeatureFusion;
import dev.runa.ood.FusionMode;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import dev.runa.ood.ScoreKind;
import dev.runa.settings.SettingException;
import dev.runa.settings.SettingMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The settings a user gives to score with RUNA, as every front end (the {@code runa} command, the
 * service, Spark) takes them, and the one builder of a {@link RunaDetector} from them. Checked when
 * made, so that a mistake is reported before a model is loaded; errors name the setting by the
 * library name of its component ({@link SettingException}), which each front end spells its own way.
 *
 * <p>Immutable and thread-safe. It owns nothing: the adapter file is read, and checked against the
 * model, when a detector is opened.
 *
 * @param prompts         the ID classes and the prompt template
 * @param lambda          weight of the regional view, in [0, 1]
 * @param fusion          early or late fusion
 * @param views           how the regional and global views are made
 * @param score           the score the decision uses as the user asked for it, or null for the
 *                        default (the calibration's, else maxsim); see {@link #decisionScore()}
 * @param adapter         a {@code runa finetune} adapter file, or null for the pretrained projection
 * @param calibration     the decision threshold, or null (then decisions are null)
 * @param maxViewsPerCall largest batch of views handed to the vision encoder
 */
public record DetectorSettings(
        PromptSet prompts,
        double lambda,
        FusionMode fusion,
        BoxViewOptions views,
        ScoreKind score,
        Path adapter,
        Calibration calibration,
        int maxViewsPerCall) {
    public DetectorSettings {
        Objects.requireNonNull(prompts, "prompts");
        Objects.requireNonNull(fusion, "fusion");
        Objects.requireNonNull(views, "views");
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new SettingException(new SettingMessage("", "lambda", " must lie in [0, 1], got " + lambda));
        }
        if (maxViewsPerCall < 1) {
            throw SettingException.of("maxViewsPerCall", "must be >= 1, got " + maxViewsPerCall);
        }
        // A threshold fitted on one score means nothing for another: refuse rather than decide wrongly.
        if (score != null && calibration != null && score != calibration.score()) {
            throw new SettingException(new SettingMessage(
                    "score",
                    List.of(
                            "",
                            " " + score.key() + " differs from the score the calibration was fitted on ("
                                    + calibration.score().key() + "); drop ",
                            ", or calibrate with ",
                            " " + score.key())));
        }
    }

    /**
     * The settings of docs/method.md for these prompts: lambda 0.5, early fusion, the reference
     * views, the default decision score, no adapter, no calibration, the default encoder batch.
     */
    public static DetectorSettings defaults(PromptSet prompts) {
        return new DetectorSettings(
                prompts,
                FeatureFusion.DEFAULT_LAMBDA,
                FusionMode.EARLY,
                BoxViewOptions.DEFAULT,
                null,
                null,
                null,
                RunaOptions.DEFAULT_MAX_VIEWS_PER_CALL);
    }

    public DetectorSettings withLambda(double l) {
        return new DetectorSettings(prompts, l, fusion, views, score, adapter, calibration, maxViewsPerCall);
    }

    public DetectorSettings withFusion(FusionMode f) {
        return new DetectorSettings(prompts, lambda, f, views, score, adapter, calibration, maxViewsPerCall);
    }

    public DetectorSettings withViews(BoxViewOptions v) {
        return new DetectorSettings(prompts, lambda, fusion, v, score, adapter, calibration, maxViewsPerCall);
    }

    /** The decision score the user asked for; null takes the default (see {@link #decisionScore()}). */
    public DetectorSettings withScore(ScoreKind s) {
        return new DetectorSettings(prompts, lambda, fusion, views, s, adapter, calibration, maxViewsPerCall);
    }

    /** An adapter file; null uses the model's pretrained projection. */
    public DetectorSettings withAdapter(Path a) {
        return new DetectorSettings(prompts, lambda, fusion, views, score, a, calibration, maxViewsPerCall);
    }

    /** A calibration; null leaves decisions null. */
    public DetectorSettings withCalibration(Calibration c) {
        return new DetectorSettings(prompts, lambda, fusion, views, score, adapter, c, maxViewsPerCall);
    }

    public DetectorSettings withMaxViewsPerCall(int n) {
        return new DetectorSettings(prompts, lambda, fusion, views, score, adapter, calibration, n);
    }

    /** The score the decision uses: the one asked for, else the calibration's, else maxsim (RUNA's). */
    public ScoreKind decisionScore() {
        if (score != null) {
            return score;
        }
        return calibration != null ? calibration.score() : ScoreKind.MAXSIM;
    }

    /**
     * The detector options for a loaded model, after reading the adapter and checking that it was
     * trained for this model (in the identity's current or earlier recorded form) and these classes.
     *
     * @throws IOException when the adapter file cannot be read
     * @throws dev.runa.adapter.IncompatibleAdapterException when it was trained for another model or classes
     */
    public RunaOptions options(LoadedClip clip) throws IOException {
        RunaOptions o = RunaOptions.defaults(prompts)
                .withLambda(lambda)
                .withFusion(fusion)
                .withViews(views)
                .withDecisionScore(decisionScore())
                .withCalibration(calibration)
                .withMaxViewsPerCall(maxViewsPerCall);
        if (adapter != null) {
            Adapter a = AdapterFile.read(adapter);
            a.requireCompatible(clip.modelIdentity(), prompts.labels());
            o = o.withAdapter(new AdapterProjection(a.projection(), AdapterFile.identityOf(adapter)));
        }
        return o;
    }

    /**
     * Opens a detector over {@code clip} with these settings, taking ownership of the model: it is
     * closed with the detector, or right away when the settings do not fit it (an adapter for another
     * model, a calibration made under other settings, an unreadable adapter file).
     */
    public RunaDetector open(LoadedClip clip) throws IOException {
        RunaOptions options;
        try {
            options = options(clip);
        } catch (IOException | RuntimeException e) {
            clip.close();
            throw e;
        }
        return RunaDetector.open(clip, options);
    }
}
