package dev.runa.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.batch.BatchScorer;
import dev.runa.batch.DetectedBox;
import dev.runa.batch.ScoredImage;
import dev.runa.batch.ScoringJob;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.data.LabelSet;
import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecoder;
import dev.runa.ood.BoxResult;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import dev.runa.testing.SyntheticDetectors;
import dev.runa.testing.SyntheticDetectors.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library pipeline: same numbers as scoring the same boxes with {@link BatchScorer}, resuming, bad images. */
class DetectAndScoreTest {
    @TempDir
    static Path tmp;

    static RunaDetector runa(List<String> classes) {
        HubSettings offline = HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1"), tmp.resolve("hub"));
        return RunaDetector.open(
                new ClipLoader(new HubClient(offline), EncoderOptions.defaults()).load("random:tiny"),
                RunaOptions.defaults(PromptSet.of(classes)));
    }

    static List<Path> pictures() throws Exception {
        int[] red = {32, 16, 48, 32, 0xff0000};
        int[] green = {64, 48, 96, 64, 0x00ff00};
        int[] blue = {0, 80, 16, 96, 0x0000c8};
        List<Path> files = new ArrayList<>();
        files.add(SyntheticDetectors.writePicture(tmp.resolve("0.png"), 128, 96, red, green));
        files.add(SyntheticDetectors.writePicture(tmp.resolve("1.png"), 128, 96)); // nothing
        files.add(Files.write(tmp.resolve("2.png"), new byte[] {1, 2, 3})); // unreadable
        files.add(SyntheticDetectors.writePicture(tmp.resolve("3.png"), 128, 96, blue));
        files.add(SyntheticDetectors.writePicture(tmp.resolve("4.png"), 128, 96, green, blue));
        files.add(SyntheticDetectors.writePicture(tmp.resolve("5.png"), 128, 96, red));
        return files;
    }

    @Test
    void sameResultsAsScoringTheDetectionsAndResumable() throws Exception {
        Path model = SyntheticDetectors.write(tmp.resolve("det.onnx"), Kind.YOLOV8, true);
        List<Path> files = pictures();
        try (ObjectDetector det = ObjectDetector.open(model, DetectorOptions.defaults(1));
                RunaDetector runa = runa(DetectAndScore.idClasses(det.graph(), det.source(), null)
                        .promptLabels())) {
            List<DetectedImage> out = new ArrayList<>();
            new DetectAndScore(det, runa, DecodeOptions.DEFAULT, 3, 2).run(files, 0, out::add);
            assertEquals(6, out.size());
            for (int i = 0; i < 6; i++) {
                assertEquals(i, out.get(i).position());
            }
            assertTrue(out.get(1).objects().isEmpty()
                    && out.get(1).scored() == null
                    && out.get(1).ok());
            assertTrue(
                    !out.get(2).ok() && out.get(2).error().contains("2.png"),
                    out.get(2).error());
            // Independently: detect each image, then score the same boxes through BatchScorer (score's path).
            List<ScoringJob> jobs = new ArrayList<>();
            for (Path f : files) {
                if (f.endsWith("2.png")) {
                    continue;
                }
                List<DetectedObject> found = det.detect(ImageDecoder.decode(f));
                if (!found.isEmpty()) {
                    List<DetectedBox> boxes = new ArrayList<>();
                    found.forEach(
                            o -> boxes.add(new DetectedBox(o.box(), o.classIndex(), o.label(), (double) o.score())));
                    jobs.add(new ScoringJob(jobs.size(), null, f, boxes));
                }
            }
            List<ScoredImage> want = new ArrayList<>();
            new BatchScorer(runa, DecodeOptions.DEFAULT, 1, 2).run(jobs, want::add);
            List<ScoredImage> got = out.stream()
                    .map(DetectedImage::scored)
                    .filter(s -> s != null)
                    .toList();
            assertEquals(want.size(), got.size());
            for (int i = 0; i < want.size(); i++) {
                assertEquals(i, got.get(i).job().index());
                assertEquals(want.get(i).job().boxes(), got.get(i).job().boxes());
                for (int b = 0; b < want.get(i).results().size(); b++) {
                    BoxResult w = want.get(i).results().get(b);
                    BoxResult g = got.get(i).results().get(b);
                    assertEquals(w.scores(), g.scores(), "image " + i + " box " + b);
                }
            }
            // Resuming after 2 scored images: those are detected but not scored; the rest are identical.
            List<DetectedImage> resumed = new ArrayList<>();
            new DetectAndScore(det, runa, DecodeOptions.DEFAULT, 2, 2).run(files, 2, resumed::add);
            assertNull(resumed.get(0).scored());
            assertNull(resumed.get(3).scored());
            assertEquals(out.get(0).objects(), resumed.get(0).objects());
            assertNotNull(resumed.get(4).scored());
            assertEquals(2, resumed.get(4).scored().job().index());
            assertEquals(
                    out.get(5).scored().results().get(0).scores(),
                    resumed.get(5).scored().results().get(0).scores());
        }
    }

    @Test
    void detectorIsSafeToShareBetweenThreads() throws Exception {
        Path model = SyntheticDetectors.write(tmp.resolve("shared.onnx"), Kind.YOLOV5, true);
        List<Path> files = pictures();
        try (ObjectDetector det = ObjectDetector.open(model, DetectorOptions.defaults(1))) {
            List<DetectedObject> want = det.detect(ImageDecoder.decode(files.get(4)));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<DetectedObject>>> fs = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    fs.add(pool.submit(() -> det.detect(ImageDecoder.decode(files.get(4)))));
                }
                for (Future<List<DetectedObject>> f : fs) {
                    assertEquals(want, f.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void explicitClassesMustMatchTheDetector() throws Exception {
        Path model = SyntheticDetectors.write(tmp.resolve("m.onnx"), Kind.YOLOV8, true);
        try (ObjectDetector det = ObjectDetector.open(model, DetectorOptions.defaults(1))) {
            DetectorException e = assertThrows(
                    DetectorException.class, () -> DetectAndScore.idClasses(det.graph(), det.source(), LabelSet.VOC));
            assertTrue(
                    e.getMessage().contains("detects 3 classes (red, green, blue) but the ID class list 'voc' has 20"));
            assertEquals(
                    List.of("r", "g", "b"),
                    DetectAndScore.idClasses(det.graph(), det.source(), LabelSet.fromCommaList("r,g,b"))
                            .promptLabels());
        }
    }
}
