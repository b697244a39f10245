package dev.runa.ood;

import java.util.Optional;

/**
 * How a {@link RunaDetector} scores boxes. {@link #defaults(PromptSet)} is the one place that
 * decides the defaults of docs/method.md.
 *
 * @param prompts         the ID classes and prompt template
 * @param lambda          weight of the regional view (0.5; 1 = regional only, 0 = global only)
 * @param fusion          early (paper Eq. 3) or late fusion
 * @param views           how the two views are made
 * @param decisionScore   the score the ID/OOD decision uses (RUNA's {@code maxsim})
 * @param adapter         a fine-tuned projection replacing the pretrained one, if any
 * @param calibration     the decision threshold; without it decisions are null
 * @param maxViewsPerCall largest batch handed to ONNX Runtime
 */
public record RunaOptions(
        PromptSet prompts,
        double lambda,
        FusionMode fusion,
        BoxViewOptions views,
        ScoreKind decisionScore,
        Optional<AdapterProjection> adapter,
        Optional<Calibration> calibration,
        int maxViewsPerCall) {
    /** Default encoder batch: 16 views (8 boxes) per call. */
    public static final int DEFAULT_MAX_VIEWS_PER_CALL = 16;

    /** The settings of docs/method.md for these prompts: lambda 0.5, early fusion, reference views, maxsim, no adapter. */
    public static RunaOptions defaults(PromptSet prompts) {
        return new RunaOptions(
                prompts,
                FeatureFusion.DEFAULT_LAMBDA,
                FusionMode.EARLY,
                BoxViewOptions.DEFAULT,
                ScoreKind.MAXSIM,
                Optional.empty(),
                Optional.empty(),
                DEFAULT_MAX_VIEWS_PER_CALL);
    }

    public RunaOptions withLambda(double l) {
        return new RunaOptions(prompts, l, fusion, views, decisionScore, adapter, calibration, maxViewsPerCall);
    }

    public RunaOptions withFusion(FusionMode f) {
        return new RunaOptions(prompts, lambda, f, views, decisionScore, adapter, calibration, maxViewsPerCall);
    }

    public RunaOptions withViews(BoxViewOptions v) {
        return new RunaOptions(prompts, lambda, fusion, v, decisionScore, adapter, calibration, maxViewsPerCall);
    }

    public RunaOptions withDecisionScore(ScoreKind s) {
        return new RunaOptions(prompts, lambda, fusion, views, s, adapter, calibration, maxViewsPerCall);
    }

    public RunaOptions withAdapter(AdapterProjection a) {
        return new RunaOptions(
                prompts, lambda, fusion, views, decisionScore, Optional.ofNullable(a), calibration, maxViewsPerCall);
    }

    public RunaOptions withCalibration(Calibration c) {
        return new RunaOptions(
                prompts, lambda, fusion, views, decisionScore, adapter, Optional.ofNullable(c), maxViewsPerCall);
    }

    public RunaOptions withMaxViewsPerCall(int n) {
        return new RunaOptions(prompts, lambda, fusion, views, decisionScore, adapter, calibration, n);
    }
}
