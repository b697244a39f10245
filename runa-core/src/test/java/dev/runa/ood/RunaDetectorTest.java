package dev.runa.ood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.ClipImagePreprocessor;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.ImageFeatures;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.data.Box;
import dev.runa.image.PixelImage;
import dev.runa.image.PixelMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RunaDetectorTest {
    private static final PromptSet PROMPTS = PromptSet.of(List.of("cat", "dog", "car"));
    private static RunaDetector runa;

    static LoadedClip tiny() {
        HubSettings offline =
                HubSettings.fromEnvironment(java.util.Map.of("HF_HUB_OFFLINE", "1"), Path.of("/nonexistent"));
        return new ClipLoader(new HubClient(offline), EncoderOptions.defaults()).load("random:tiny");
    }

    static PixelImage noise(int w, int h, long seed) {
        Random r = new Random(seed);
        byte[] px = new byte[w * h * 3];
        r.nextBytes(px);
        return new PixelImage(w, h, PixelMode.RGB, px);
    }

    @BeforeAll
    static void open() {
        runa = RunaDetector.open(tiny(), RunaOptions.defaults(PROMPTS).withMaxViewsPerCall(5));
    }

    @AfterAll
    static void close() {
        runa.close();
    }

    @Test
    void scoresEqualADirectComputationFromTheViews() {
        PixelImage img = noise(80, 60, 1);
        Box box = new Box(10.5, 5.2, 50.9, 40);
        BoxResult r = runa.score(img, List.of(box)).get(0);
        assertTrue(r.ok(), r.error());

        // Independent path: views -> encoder -> paper Eq. 3 by hand -> cosine to normalised prompts.
        var enc = runa.clip().model().vision();
        float[][] views = BoxViews.forImage(img, new ClipImagePreprocessor(32), BoxViewOptions.DEFAULT)
                .views(box.x1(), box.y1(), box.x2(), box.y2());
        ImageFeatures fr = enc.encode(views[0]);
        ImageFeatures fg = enc.encode(views[1]);
        float[] rr = fr.pooled();
        float[] gg = fg.pooled();
        float[] f = new float[rr.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = 0.5f * rr[i] + 0.5f * gg[i];
        }
        float[][] proj = enc.projection();
        double[] e = new double[proj.length];
        double n = 0;
        for (int o = 0; o < proj.length; o++) {
            for (int i = 0; i < f.length; i++) {
                e[o] += proj[o][i] * f[i];
            }
            n += e[o] * e[o];
        }
        List<float[]> texts = runa.clip().embedTexts(PROMPTS.prompts());
        double best = -2;
        for (float[] t : texts) {
            double tn = 0;
            double dot = 0;
            for (int o = 0; o < t.length; o++) {
                tn += t[o] * t[o];
                dot += t[o] * e[o];
            }
            best = Math.max(best, dot / Math.sqrt(tn * n));
        }
        // 1e-5: float features and projections vs double accumulation of the same values.
        assertEquals(best, r.scores().maxsim(), 1e-5);
        assertNull(r.ood(), "no calibration loaded: no decision");
    }

    @Test
    void batchingAcrossImagesGivesTheSameScoresAsOneBoxAtATime() {
        List<PreparedImage> prepared = new ArrayList<>();
        List<List<Box>> boxes = List.of(
                List.of(new Box(0, 0, 20, 20), new Box(5, 5, 60, 30), new Box(30, 10, 31, 11)),
                List.of(new Box(1, 2, 40, 50)),
                List.of(new Box(10, 10, 70, 55), new Box(0, 0, 79, 59)));
        for (int i = 0; i < boxes.size(); i++) {
            prepared.add(runa.prepare("img" + i, noise(80, 60, 10 + i), boxes.get(i)));
        }
        List<List<BoxResult>> together = runa.score(prepared);
        try (RunaDetector single =
                RunaDetector.open(tiny(), RunaOptions.defaults(PROMPTS).withMaxViewsPerCall(1))) {
            for (int i = 0; i < boxes.size(); i++) {
                for (int b = 0; b < boxes.get(i).size(); b++) {
                    BoxResult alone = single.score(
                                    noise(80, 60, 10 + i), List.of(boxes.get(i).get(b)))
                            .get(0);
                    BoxResult batched = together.get(i).get(b);
                    for (ScoreKind k : ScoreKind.values()) {
                        // fp32 results move by ~1e-6 relative with batch composition (reference README).
                        assertEquals(
                                alone.scores().get(k),
                                batched.scores().get(k),
                                1e-5 * Math.max(1, Math.abs(alone.scores().get(k))),
                                "image " + i + " box " + b + " " + k.key());
                    }
                }
            }
        }
    }

    @Test
    void degenerateBoxesAreReportedAndTheOthersStillScored() {
        List<Box> boxes = List.of(
                new Box(10, 10, 10, 30),
                new Box(Double.NaN, 0, 5, 5),
                new Box(200, 200, 300, 300),
                new Box(5, 5, 25, 25));
        List<BoxResult> rs = runa.score(noise(64, 64, 3), boxes);
        assertEquals(4, rs.size());
        for (int i = 0; i < 3; i++) {
            assertTrue(!rs.get(i).ok() && rs.get(i).error() != null, "box " + i + " must be reported");
            assertNull(rs.get(i).scores());
        }
        assertTrue(rs.get(3).ok());
        assertNotNull(rs.get(3).scores());
    }

    @Test
    void appliesAMatchingCalibrationAndRefusesAnother() {
        ScoringSettings s = runa.settings();
        Calibration cal = Calibration.fit(new double[] {0.0, 0.1}, ScoreKind.MAXSIM, 0.95, s);
        try (RunaDetector calibrated =
                RunaDetector.open(tiny(), RunaOptions.defaults(PROMPTS).withCalibration(cal))) {
            BoxResult r = calibrated
                    .score(noise(40, 40, 4), List.of(new Box(0, 0, 30, 30)))
                    .get(0);
            assertEquals(r.scores().maxsim() < cal.threshold(), r.ood());
        }
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> RunaDetector.open(
                        tiny(), RunaOptions.defaults(PROMPTS).withLambda(1).withCalibration(cal)));
        assertTrue(e.getMessage().contains("lambda"), e.getMessage());
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        PixelImage img = noise(50, 50, 9);
        List<Box> boxes = List.of(new Box(0, 0, 25, 25), new Box(20, 20, 49, 49));
        List<BoxResult> ref = runa.score(img, boxes);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<BoxResult>>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                fs.add(pool.submit(() -> runa.score(img, boxes)));
            }
            for (Future<List<BoxResult>> f : fs) {
                List<BoxResult> got = f.get();
                for (int b = 0; b < boxes.size(); b++) {
                    assertEquals(
                            ref.get(b).scores().maxsim(), got.get(b).scores().maxsim(), 1e-5);
                }
            }
        } finally {
            pool.shutdown();
        }
    }
}
