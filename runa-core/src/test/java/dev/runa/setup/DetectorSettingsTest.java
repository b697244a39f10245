package dev.runa.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.adapter.IncompatibleAdapterException;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.data.LabelSet;
import dev.runa.io.Sha256;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.Calibration;
import dev.runa.ood.FusionMode;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import dev.runa.ood.ScoreKind;
import dev.runa.ood.ScoringSettings;
import dev.runa.settings.SettingException;
import dev.runa.testing.TestAdapters;
import dev.runa.testing.TinyCheckpoints;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one settings-to-detector builder every front end uses: its checks, its defaults, its adapter rules. */
class DetectorSettingsTest {
    static final PromptSet PROMPTS = PromptSet.of(List.of("person", "dog"));

    @TempDir
    Path tmp;

    private final ClipLoader loader = new ClipLoader(
            new HubClient(HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1"), Path.of("/nonexistent"))),
            EncoderOptions.defaults().withThreads(1));

    static Calibration calibration(ScoreKind score) {
        return new Calibration(
                score,
                0.25,
                0.95,
                10,
                new ScoringSettings("m", List.of("a photo of a person"), 0.5, FusionMode.EARLY, "v", "none", "fp32"));
    }

    @Test
    void errorsNameTheSettingNeverAFlag() {
        SettingException lambda = assertThrows(
                SettingException.class, () -> DetectorSettings.defaults(PROMPTS).withLambda(1.5));
        assertEquals("lambda must lie in [0, 1], got 1.5", lambda.getMessage());
        assertEquals("lambda", lambda.settingMessage().setting());
        assertEquals("-l must lie in [0, 1], got 1.5", lambda.settingMessage().spelled(s -> "-l"));
        assertThrows(
                SettingException.class, () -> DetectorSettings.defaults(PROMPTS).withLambda(Double.NaN));

        SettingException batch = assertThrows(
                SettingException.class, () -> DetectorSettings.defaults(PROMPTS).withMaxViewsPerCall(0));
        assertEquals("maxViewsPerCall: must be >= 1, got 0", batch.getMessage());
    }

    @Test
    void aScoreOtherThanTheCalibrationsIsRefusedNamingTheSettingTwice() {
        DetectorSettings calibrated = DetectorSettings.defaults(PROMPTS).withCalibration(calibration(ScoreKind.MAXSIM));
        SettingException e = assertThrows(SettingException.class, () -> calibrated.withScore(ScoreKind.SUM));
        assertEquals("score", e.settingMessage().setting());
        assertEquals(
                "--score sum differs from the score the calibration was fitted on (maxsim); drop --score, or"
                        + " calibrate with --score sum",
                e.settingMessage().spelled(s -> "--" + s));
        // The same check in the other order: the score first, then the calibration.
        assertThrows(
                SettingException.class,
                () -> DetectorSettings.defaults(PROMPTS)
                        .withScore(ScoreKind.SUM)
                        .withCalibration(calibration(ScoreKind.MAXSIM)));

        assertEquals(ScoreKind.MAXSIM, calibrated.withScore(ScoreKind.MAXSIM).decisionScore());
    }

    @Test
    void theDecisionScoreIsTheOneAskedForElseTheCalibrationsElseMaxsim() {
        DetectorSettings d = DetectorSettings.defaults(PROMPTS);
        assertNull(d.score());
        assertEquals(ScoreKind.MAXSIM, d.decisionScore());
        assertEquals(ScoreKind.MCM_T1, d.withScore(ScoreKind.MCM_T1).decisionScore());
        assertEquals(
                ScoreKind.ENERGY_T001,
                d.withCalibration(calibration(ScoreKind.ENERGY_T001)).decisionScore());
    }

    @Test
    void optionsCarryEverySetting() throws Exception {
        try (LoadedClip clip = loader.load("random:tiny")) {
            BoxViewOptions views = new BoxViewOptions(0.1, true, BoxViewOptions.GlobalFit.CENTER_CROP, 2f);
            RunaOptions o = DetectorSettings.defaults(PROMPTS)
                    .withLambda(0.25)
                    .withFusion(FusionMode.LATE)
                    .withViews(views)
                    .withScore(ScoreKind.SUM)
                    .withMaxViewsPerCall(4)
                    .options(clip);
            assertEquals(
                    new RunaOptions(
                            PROMPTS,
                            0.25,
                            FusionMode.LATE,
                            views,
                            ScoreKind.SUM,
                            java.util.Optional.empty(),
                            java.util.Optional.empty(),
                            4),
                    o);
        }
    }

    @Test
    void theClassSpecReadsPresetsListsAndAtFiles() throws Exception {
        assertEquals(LabelSet.VOC, LabelSet.parse(" voc "));
        Path f = Files.writeString(tmp.resolve("classes.txt"), "cat\n# comment\ntraffic light\n");
        assertEquals(List.of("cat", "traffic light"), LabelSet.parse("@" + f).promptLabels());
        assertEquals(
                List.of("cat", "traffic light"), LabelSet.parse(f.toString()).promptLabels());
        assertEquals(List.of("a", "b"), LabelSet.parse("a, b").promptLabels());
    }

    private Path writeAdapter(LoadedClip clip, String baseModel, List<String> classes) throws Exception {
        Path f = tmp.resolve("adapter-" + Math.abs(baseModel.hashCode()) + "-" + classes.hashCode() + ".safetensors");
        return TestAdapters.write(f, clip, baseModel, classes);
    }

    @Test
    void anAdapterForThisModelIsUsedUnderItsContentIdentityInTheCurrentOrTheEarlierForm() throws Exception {
        Path model = TinyCheckpoints.write(tmp.resolve("model"), 7);
        for (boolean legacy : new boolean[] {false, true}) {
            LoadedClip clip = loader.load(model.toString());
            String recorded = legacy ? clip.modelIdentity().legacy() : clip.identity();
            assertTrue(!recorded.isEmpty());
            Path adapter = writeAdapter(clip, recorded, PROMPTS.labels());
            try (RunaDetector d =
                    DetectorSettings.defaults(PROMPTS).withAdapter(adapter).open(clip)) {
                assertEquals("sha256:" + Sha256.of(adapter), d.settings().adapter(), "legacy=" + legacy);
                assertEquals(
                        "sha256:" + Sha256.of(adapter),
                        d.options().adapter().orElseThrow().identity());
            }
        }
    }

    @Test
    void anAdapterForAnotherModelOrOtherClassesIsRefusedAndTheModelClosed() throws Exception {
        LoadedClip probe = loader.load("random:tiny");
        Path otherModel = writeAdapter(probe, "openai/clip-vit-base-patch16@abc", PROMPTS.labels());
        Path otherClasses = writeAdapter(probe, probe.identity(), List.of("person", "cat"));
        probe.close();

        LoadedClip clip = loader.load("random:tiny");
        IncompatibleAdapterException model = assertThrows(
                IncompatibleAdapterException.class,
                () -> DetectorSettings.defaults(PROMPTS).withAdapter(otherModel).open(clip));
        assertTrue(
                model.getMessage().contains("trained for base model 'openai/clip-vit-base-patch16@abc'"),
                model.getMessage());
        // Opening failed, so the builder closed the model it was given.
        assertThrows(RuntimeException.class, () -> clip.embedTexts(List.of("a photo of a dog")));

        try (LoadedClip clip2 = loader.load("random:tiny")) {
            IncompatibleAdapterException classes = assertThrows(
                    IncompatibleAdapterException.class,
                    () -> DetectorSettings.defaults(PROMPTS)
                            .withAdapter(otherClasses)
                            .options(clip2));
            assertTrue(classes.getMessage().contains("only in the adapter: 'cat'"), classes.getMessage());
            assertThrows(
                    NoSuchFileException.class,
                    () -> DetectorSettings.defaults(PROMPTS)
                            .withAdapter(tmp.resolve("missing.safetensors"))
                            .options(clip2));
        }
    }
}
