package dev.runa.server;

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
import dev.runa.detect.DetectorException;
import dev.runa.detect.ObjectDetector;
import dev.runa.io.Sha256;
import dev.runa.ood.RunaDetector;
import dev.runa.testing.SyntheticDetectors;
import dev.runa.testing.TestAdapters;
import dev.runa.testing.TinyCheckpoints;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@code runa serve} opens its detector through the library's one builder, so that it accepts the
 * adapters {@code runa score} accepts: also one recorded under a local model's earlier identity form;
 * with {@code --detector}, its ID classes and detector options are {@code runa detect}'s.
 */
class DetectorOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void anAdapterInTheEarlierIdentityFormIsAcceptedOneForOtherClassesIsNot() throws Exception {
        Path model = TinyCheckpoints.write(tmp.resolve("model"), 3);
        List<String> classes = List.of("cat", "dog");
        Path legacy;
        Path otherClasses;
        try (LoadedClip clip = new ClipLoader(
                        new HubClient(HubSettings.fromEnvironment().withOffline(true)), EncoderOptions.defaults())
                .load(model.toString())) {
            legacy = TestAdapters.write(
                    tmp.resolve("old.safetensors"), clip, clip.modelIdentity().legacy(), classes);
            otherClasses =
                    TestAdapters.write(tmp.resolve("other.safetensors"), clip, clip.identity(), List.of("cat", "cow"));
        }
        DetectorOptions options = CommandLine.populateCommand(
                new DetectorOptions(),
                "--model",
                model.toString(),
                "--classes",
                "cat,dog",
                "--threads",
                "1",
                "--adapter",
                legacy.toString());
        try (RunaDetector d = options.open(8)) {
            assertEquals("sha256:" + Sha256.of(legacy), d.settings().adapter());
            assertEquals(8, d.options().maxViewsPerCall());
        }
        options.adapter = otherClasses;
        assertThrows(IncompatibleAdapterException.class, () -> options.open(8));
    }

    @Test
    void classesDefaultToTheDetectorsOwnAsRunaDetectChoosesThem() throws Exception {
        Path file = SyntheticDetectors.write(tmp.resolve("det.onnx"), SyntheticDetectors.Kind.YOLOV8, true);
        ServeCommand serve = new ServeCommand();
        ParseResult given = new CommandLine(serve)
                .parseArgs("--detector", file.toString(), "--conf", "0.4", "--iou", "0.5", "--max-det", "7");
        serve.objectDetector.check(given);
        try (ObjectDetector det = serve.objectDetector.open(1)) {
            // dev.runa.detect's options record (this package's DetectorOptions is the RUNA settings mixin).
            var o = det.options();
            assertEquals(List.of(0.4, 0.5, 7, 1), List.of(o.conf(), o.iou(), o.maxDet(), o.threads()));
            assertNull(o.format());
            assertEquals(
                    List.of("red", "green", "blue"),
                    serve.detector.idClasses(det).promptLabels());
            serve.detector.classes = "auto";
            assertEquals(
                    List.of("red", "green", "blue"),
                    serve.detector.idClasses(det).promptLabels());
            serve.detector.classes = "r,g,b";
            assertEquals(List.of("r", "g", "b"), serve.detector.idClasses(det).promptLabels());
            serve.detector.classes = "voc";
            DetectorException e = assertThrows(DetectorException.class, () -> serve.detector.idClasses(det));
            assertTrue(e.getMessage().contains("detects 3 classes"), e.getMessage());
        }
        ServeCommand forced = new ServeCommand();
        new CommandLine(forced).parseArgs("--detector", file.toString(), "--detector-format", "yolov5");
        DetectorException wrongFormat = assertThrows(DetectorException.class, () -> forced.objectDetector.open(1));
        assertTrue(wrongFormat.getMessage().contains("det.onnx"), wrongFormat.getMessage());

        // Without --detector: voc as runa score; auto and the detector's options are refused, not ignored.
        ServeCommand plain = new ServeCommand();
        ParseResult none = new CommandLine(plain).parseArgs(); // injects the mixins
        plain.objectDetector.check(none);
        assertNull(plain.objectDetector.open(1));
        assertEquals(LabelSet.VOC, plain.detector.idClasses(null));
        plain.detector.classes = "auto";
        IllegalArgumentException auto =
                assertThrows(IllegalArgumentException.class, () -> plain.detector.idClasses(null));
        assertTrue(auto.getMessage().contains("--detector"), auto.getMessage());
        for (String option : new String[] {"--conf", "--iou", "--max-det", "--detector-format"}) {
            ServeCommand c = new ServeCommand();
            ParseResult p = new CommandLine(c).parseArgs(option, option.equals("--detector-format") ? "yolov8" : "1");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.objectDetector.check(p));
            assertTrue(
                    e.getMessage().startsWith(option + " ") && e.getMessage().contains("--detector"), e.getMessage());
        }
    }
}
