package dev.runa.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.data.Box;
import dev.runa.data.Detection;
import dev.runa.features.FeatureCache;
import dev.runa.features.ImageDigests;
import dev.runa.image.DecodeOptions;
import dev.runa.ood.BoxFeatureExtractor;
import dev.runa.ood.BoxViewOptions;
import dev.runa.ood.FusionMode;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BenchmarkRun: interruption and resume, cache reuse, skipped boxes, baselines some boxes lack. */
class BenchmarkRunTest {
    @TempDir
    static Path tmp;

    static LoadedClip clip;
    static List<ScoringExperiment> experiments;
    static SampleSet id;
    static List<SampleSet> ood;

    @BeforeAll
    static void setUp() throws Exception {
        HubSettings offline = HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1"), Path.of("/nonexistent"));
        clip = new ClipLoader(new HubClient(offline), EncoderOptions.defaults()).load("random:tiny");
        experiments = ExperimentPlan.build(
                0.5,
                FusionMode.EARLY,
                RunaDetector.pretrainedProjection(clip),
                RunaDetector.promptEmbeddings(clip, PromptSet.of(ShapeBenchmark.CLASSES)),
                List.of());
        id = VosProtocol.select(
                VosProtocol.load(ShapeBenchmark.id(tmp.resolve("data"), 5, 11).set()), 0.5);
        ood = List.of(VosProtocol.select(
                VosProtocol.load(ShapeBenchmark.ood(tmp.resolve("data"), "triangle", 4, 12)
                        .set()),
                0.5));
    }

    @AfterAll
    static void tearDown() {
        clip.close();
    }

    static BenchmarkRun run(FeatureCache cache) {
        BoxFeatureExtractor extractor = new BoxFeatureExtractor(
                clip.model().vision(), BoxViewOptions.DEFAULT, true, true, RunaOptions.DEFAULT_MAX_VIEWS_PER_CALL);
        return new BenchmarkRun(
                extractor,
                new BoxFeatureStore(cache, new ImageDigests(), clip.identity(), BoxViewOptions.DEFAULT),
                DecodeOptions.DEFAULT,
                2);
    }

    static final BenchmarkRun.Listener QUIET = new BenchmarkRun.Listener() {};

    @Test
    void aRunKilledMidwayResumesFromTheCacheWithIdenticalResults() throws Exception {
        BenchmarkRun.Outcome whole = run(FeatureCache.open(tmp.resolve("cache-whole")))
                .run(id, ood, experiments, 2, Map.of(1, "square", 2, "circle"), QUIET);
        assertEquals(9, whole.stats().imagesEncoded());

        FeatureCache cache = FeatureCache.open(tmp.resolve("cache-killed"));
        int[] done = {0};
        BenchmarkRun.Listener killer = new BenchmarkRun.Listener() {
            @Override
            public void imageDone(String set, String imageId, boolean fromCache) {
                if (++done[0] == 4) {
                    throw new IllegalStateException("simulated kill after 4 images");
                }
            }
        };
        assertThrows(
                IllegalStateException.class,
                () -> run(cache).run(id, ood, experiments, 2, Map.of(1, "square", 2, "circle"), killer));

        FeatureCache reopened = FeatureCache.open(tmp.resolve("cache-killed"));
        BenchmarkRun.Outcome resumed =
                run(reopened).run(id, ood, experiments, 2, Map.of(1, "square", 2, "circle"), QUIET);
        assertEquals(4, resumed.stats().imagesFromCache(), "the 4 finished images are not recomputed");
        assertEquals(5, resumed.stats().imagesEncoded());
        // Bit-identical samples (records compare doubles exactly), hence identical metrics and report.
        assertEquals(whole.experiments(), resumed.experiments());
        Path a = tmp.resolve("report-whole");
        Path b = tmp.resolve("report-resumed");
        ReportOptions noCharts = ReportOptions.defaults().withCharts(false, false);
        EvalReport.of(whole.experiments(), Map.of("model", "tiny")).write(a, noCharts);
        EvalReport.of(resumed.experiments(), Map.of("model", "tiny")).write(b, noCharts);
        assertEquals(Files.readString(a.resolve("report.json")), Files.readString(b.resolve("report.json")));

        BenchmarkRun.Outcome again = run(FeatureCache.open(tmp.resolve("cache-killed")))
                .run(id, ood, experiments, 2, Map.of(1, "square", 2, "circle"), QUIET);
        assertEquals(0, again.stats().imagesEncoded());
        assertEquals(0, again.stats().boxesEncoded());
        assertEquals(whole.experiments(), again.experiments());
    }

    @Test
    void degenerateBoxesAndUnreadableImagesAreSkippedAndBaselinesSomeBoxesLackAreLeftOut() throws Exception {
        SampleSet.ImageSamples first = id.images().get(0);
        List<Detection> dets = new ArrayList<>(first.detections());
        dets.add(new Detection(first.imageId(), 1, new Box(5, 5, 5, 20), 0.9)); // no area, no logits
        dets.add(new Detection(first.imageId(), 1, new Box(500, 500, 600, 600), 0.9)); // outside the image
        Path broken = tmp.resolve("broken.png");
        Files.write(broken, new byte[] {1, 2, 3});
        List<SampleSet.ImageSamples> images = new ArrayList<>(id.images());
        images.set(0, new SampleSet.ImageSamples(first.imageId(), first.file(), first.width(), first.height(), dets));
        images.add(new SampleSet.ImageSamples(
                "broken", broken, 40, 40, List.of(new Detection("broken", 1, new Box(1, 1, 9, 9), 0.9))));
        Path missing = tmp.resolve("missing.png");
        images.add(new SampleSet.ImageSamples(
                "missing", missing, 40, 40, List.of(new Detection("missing", 1, new Box(1, 1, 9, 9), 0.9))));
        SampleSet withProblems = new SampleSet(id.name(), images, id.counts());
        List<String> warnings = new ArrayList<>();
        BenchmarkRun.Outcome o = run(FeatureCache.open(tmp.resolve("cache-problems")))
                .run(withProblems, ood, experiments, 2, Map.of(), new BenchmarkRun.Listener() {
                    @Override
                    public void warning(String message) {
                        warnings.add(message);
                    }
                });
        assertEquals(4, o.stats().samplesSkipped());
        assertEquals(id.sampleCount(), o.experiments().get(0).idSamples().size());
        assertTrue(
                o.stats().problems().stream().anyMatch(p -> p.contains("broken")),
                o.stats().problems().toString());
        assertTrue(
                o.stats().problems().stream().anyMatch(p -> p.contains("missing.png")),
                o.stats().problems().toString());
        // The generated boxes carry logits but the added degenerate ones do not: they are no sample, so the
        // baselines stay (every sample has them).
        assertTrue(o.experiments().get(0).scoreKeys().contains(DetectorBaselines.MSP_KEY));

        // A sample without logits removes the baselines from every experiment, with a warning.
        List<SampleSet.ImageSamples> noLogits = new ArrayList<>(id.images());
        Detection plain = new Detection(first.imageId(), 2, new Box(3, 3, 30, 30), 0.9);
        noLogits.set(
                0,
                new SampleSet.ImageSamples(
                        first.imageId(), first.file(), first.width(), first.height(), List.of(plain)));
        warnings.clear();
        BenchmarkRun.Outcome o2 = run(FeatureCache.open(tmp.resolve("cache-problems")))
                .run(
                        new SampleSet(id.name(), noLogits, id.counts()),
                        ood,
                        experiments,
                        2,
                        Map.of(),
                        new BenchmarkRun.Listener() {
                            @Override
                            public void warning(String message) {
                                warnings.add(message);
                            }
                        });
        assertEquals(
                List.of("maxsim", "mcm_t1", "mcm_t0.01", "sum", "energy_t0.01"),
                o2.experiments().get(0).scoreKeys());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("det_msp")), warnings.toString());
    }
}
