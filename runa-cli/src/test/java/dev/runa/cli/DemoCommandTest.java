package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.demo.DemoManifest;
import dev.runa.testing.TinyCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    static Path tmp;

    static Path model;
    static DemoManifest manifest;

    @BeforeAll
    static void setUp() throws Exception {
        model = TinyCheckpoints.write(tmp.resolve("model"), 3);
        manifest = DemoManifest.builtIn();
    }

    /** Stand-ins for the manifest's photos, at the sizes it declares. */
    private static Path photos(Path dir, int widthDelta) throws Exception {
        Files.createDirectories(dir);
        long seed = 1;
        for (DemoManifest.Photo p : manifest.photos()) {
            ScoreCommandTest.noisePicture(dir, p.file(), p.width() + widthDelta, p.height(), seed++, "jpg");
        }
        return dir;
    }

    @Test
    void builtInManifestHasVocAndNonVocObjectsInsideTheirPhotos() {
        assertTrue(manifest.photos().size() >= 2);
        boolean nonVoc = false;
        for (DemoManifest.Photo p : manifest.photos()) {
            assertTrue(p.url().startsWith("http"), p.url());
            for (DemoManifest.NotedBox b : p.boxes()) {
                assertTrue(
                        b.box().x1() >= 0
                                && b.box().x2() <= p.width()
                                && b.box().y1() >= 0
                                && b.box().y2() <= p.height()
                                && b.box().area() > 0,
                        p.file() + " " + b);
                nonVoc |= b.note().contains("not a VOC class");
            }
        }
        assertTrue(nonVoc, "at least one non-VOC object");
    }

    @Test
    void withADetectorTheDetectorsBoxesAreScored() throws Exception {
        Path out = tmp.resolve("demo-det");
        Path det = dev.runa.testing.SyntheticDetectors.write(
                tmp.resolve("det.onnx"), dev.runa.testing.SyntheticDetectors.Kind.YOLOV8, true);
        CliRunner.Result r = CliRunner.run(
                "demo",
                "--model",
                model.toString(),
                "--photos",
                photos(tmp.resolve("photos-det"), 0).toString(),
                "--detector",
                det.toString(),
                "--conf",
                "0.05",
                "--out",
                out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("RUNA demo with detector " + det + " (yolov8, 3 classes)"), r.out());
        // Rows name the detector's class and confidence; the ID classes are the detector's (red, green, blue).
        assertTrue(
                r.out()
                        .lines()
                        .anyMatch(l -> l.startsWith("coco-") && l.matches(".*(red|green|blue) \\(0\\.\\d\\d\\).*")),
                r.out());
        assertTrue(
                r.out()
                        .lines()
                        .filter(l -> l.startsWith("coco-"))
                        .allMatch(l -> l.matches(".*(red|green|blue|no detections).*")),
                r.out());
        for (DemoManifest.Photo p : manifest.photos()) {
            assertTrue(Files.size(out.resolve(ScoreCommand.annotatedName(Path.of(p.file())))) > 0);
        }
    }

    @Test
    void runsOfflineOnLocalPhotosAndWritesTheTableAndAnnotatedImages() throws Exception {
        Path out = tmp.resolve("demo-out");
        CliRunner.Result r = CliRunner.run(
                "demo",
                "--model",
                model.toString(),
                "--photos",
                photos(tmp.resolve("photos"), 0).toString(),
                "--out",
                out.toString());
        assertEquals(0, r.exitCode(), r.err());
        int boxes = manifest.photos().stream().mapToInt(p -> p.boxes().size()).sum();
        long tableRows = r.out().lines().filter(l -> l.startsWith("coco-")).count();
        assertEquals(boxes, tableRows, r.out());
        assertTrue(r.out().contains("maxsim") && r.out().contains("best class"), r.out());
        assertTrue(r.out().contains("remote control (not a VOC class)"), r.out());
        for (DemoManifest.Photo p : manifest.photos()) {
            Path png = out.resolve(ScoreCommand.annotatedName(Path.of(p.file())));
            assertTrue(Files.size(png) > 0, png.toString());
        }
    }

    @Test
    void reportsPhotosOfTheWrongSize() throws Exception {
        CliRunner.Result r = CliRunner.run(
                "demo",
                "--model",
                model.toString(),
                "--photos",
                photos(tmp.resolve("wrong"), 3).toString(),
                "--out",
                tmp.resolve("o2").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("but the manifest expects 640x480"), r.err());
    }

    @Test
    void withoutNetworkOrCopiesItSaysWhatToDo() throws Exception {
        Path m = tmp.resolve("manifest.json");
        Files.writeString(m, """
                {"format": "runa-demo-manifest", "version": 1, "photos": [{"file": "x.jpg",
                 "url": "http://127.0.0.1:9/x.jpg", "width": 10, "height": 10, "boxes": [{"box": [0, 0, 5, 5]}]}]}""");
        CliRunner.Result r = CliRunner.run(
                "demo",
                "--model",
                model.toString(),
                "--manifest",
                m.toString(),
                "--cache",
                tmp.resolve("empty-cache").toString());
        assertEquals(2, r.exitCode());
        assertTrue(
                r.err().contains("cannot fetch demo photo x.jpg") && r.err().contains("give that folder as --photos,"),
                r.err());

        CliRunner.Result local = CliRunner.run(
                "demo",
                "--model",
                model.toString(),
                "--photos",
                tmp.resolve("nothing").toString());
        assertEquals(2, local.exitCode());
        assertTrue(local.err().contains("is not in"), local.err());
    }
}
