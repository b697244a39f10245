package dev.runa.cli;

import dev.runa.data.Box;
import dev.runa.data.LabelSet;
import dev.runa.demo.DemoManifest;
import dev.runa.demo.PhotoCache;
import dev.runa.detect.DetectAndScore;
import dev.runa.detect.DetectedObject;
import dev.runa.detect.ObjectDetector;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import dev.runa.ood.BoxResult;
import dev.runa.ood.Calibration;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import dev.runa.ood.ScoreKind;
import dev.runa.options.DetectorDecodingOptions;
import dev.runa.render.AnnotatedBox;
import dev.runa.render.BoxAnnotator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code runa demo}: the first command a user runs. Fetches the default CLIP and the manifest's
 * photos (both cached), scores the photos' boxes with the VOC classes as ID, prints a table and
 * writes annotated images.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Score a few public photos' boxes with RUNA (VOC classes as ID) and write annotated images.",
            "With --detector det.onnx the whole system runs: the detector finds the objects, RUNA flags unknown ones.",
            "Downloads the model and the photos on first use; later runs need no network."
        })
final class DemoCommand implements Callable<Integer> {
    /** The table's columns: image, box, decision score, decision. */
    private static final String ROW = "%-34s %-34s %9s  %s%n";

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    RunaSettingsOptions settingsOptions;

    @Option(
            names = "--photos",
            paramLabel = "DIR",
            description = "Use local copies of the manifest's photos from DIR (named as in the manifest); no download")
    Path photos;

    @Option(
            names = "--cache",
            paramLabel = "DIR",
            description = "Where downloaded photos are kept (default: ~/.cache/runa/demo)")
    Path cache;

    @Option(
            names = "--out",
            defaultValue = "runa-demo",
            paramLabel = "DIR",
            description = "Folder for the annotated images (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(
            names = "--calibration",
            paramLabel = "F",
            description = "Threshold from runa calibrate: adds ID/OOD decisions")
    Path calibration;

    @Option(
            names = "--detector",
            paramLabel = "F",
            description = "An ONNX object detector (e.g. from yolo export format=onnx): detect the photos' objects"
                    + " with it and score those, with the detector's classes as ID (unless --classes is given),"
                    + " instead of the manifest's hand-placed boxes")
    Path detector;

    @Mixin
    DetectorDecodingOptions detectorOptions;

    @Option(
            names = "--manifest",
            paramLabel = "F",
            description = "Photos and boxes to use instead of the built-in manifest (same JSON layout)")
    Path manifest;

    @Override
    public Integer call() throws Exception {
        OutputChecks.folder("--out", out);
        OutputChecks.folder("--cache", cache);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DemoManifest m = manifest == null ? DemoManifest.builtIn() : DemoManifest.read(manifest);
        PhotoCache store = photos != null
                ? PhotoCache.localOnly(photos)
                : PhotoCache.downloadingInto(cache != null ? cache : PhotoCache.defaultDir());
        // Photos first: a missing photo should fail before a long model download.
        List<Path> files = new ArrayList<>();
        for (DemoManifest.Photo p : m.photos()) {
            files.add(store.get(p));
        }
        Calibration cal = calibration == null ? null : Calibration.load(calibration);
        if (detector != null) {
            return withDetector(m, files, cal, stdout);
        }
        int skipped = 0;
        try (RunaDetector runa = settingsOptions.openDetector(modelOptions, cal)) {
            RunaOptions options = runa.options();
            List<String> labels = options.prompts().labels();
            ScoreKind score = options.decisionScore();
            stdout.printf(
                    Locale.ROOT,
                    "RUNA demo: model %s, ID classes %s (%d), %s%n",
                    runa.clip().identity(),
                    settingsOptions.classes(),
                    labels.size(),
                    calibrationText(cal));
            printHeader(stdout, "box (note)", score, cal);
            for (int i = 0; i < m.photos().size(); i++) {
                DemoManifest.Photo p = m.photos().get(i);
                PixelImage img = ImageDecoder.decode(files.get(i));
                if (img.width() != p.width() || img.height() != p.height()) {
                    err.printf(
                            Locale.ROOT,
                            "runa demo: %s is %dx%d but the manifest expects %dx%d: it is not the photo"
                                    + " the boxes were placed on (delete it to fetch it again from %s); skipped%n",
                            files.get(i),
                            img.width(),
                            img.height(),
                            p.width(),
                            p.height(),
                            p.url());
                    skipped++;
                    continue;
                }
                List<Box> boxes =
                        p.boxes().stream().map(DemoManifest.NotedBox::box).toList();
                List<BoxResult> results = runa.score(img, boxes);
                List<AnnotatedBox> drawn = new ArrayList<>();
                for (int b = 0; b < results.size(); b++) {
                    BoxResult r = results.get(b);
                    String best =
                            r.scores() == null ? null : labels.get(r.scores().bestClass());
                    printRow(stdout, p.file(), p.boxes().get(b).note(), r, best, score);
                    drawn.add(AnnotatedBox.of(r, best, score));
                }
                Path annotated = out.resolve(ScoreCommand.annotatedName(files.get(i)));
                BoxAnnotator.write(img, drawn, annotated);
                stdout.println("  -> " + annotated);
            }
        }
        if (skipped > 0) {
            err.printf(
                    Locale.ROOT,
                    "runa demo: %d of %d photos skipped (size mismatch)%n",
                    skipped,
                    m.photos().size());
            return 1;
        }
        return 0;
    }

    /** The whole system: the detector proposes boxes on each photo, RUNA scores them (each photo decoded once). */
    private int withDetector(DemoManifest m, List<Path> files, Calibration cal, PrintWriter stdout) throws Exception {
        boolean classesGiven = spec.commandLine().getParseResult().hasMatchedOption("--classes");
        try (ObjectDetector det =
                ObjectDetector.open(detector, detectorOptions.settings(modelOptions.usableThreads()))) {
            LabelSet id = DetectAndScore.idClasses(
                    det.graph(), det.source(), classesGiven ? settingsOptions.labelSet() : null);
            try (RunaDetector runa = settingsOptions.openDetector(modelOptions, cal, id)) {
                List<String> labels = runa.options().prompts().labels();
                ScoreKind score = runa.options().decisionScore();
                stdout.printf(
                        Locale.ROOT,
                        "RUNA demo with detector %s (%s, %d classes): model %s, %s%n",
                        det.source(),
                        det.graph().format().key(),
                        labels.size(),
                        runa.clip().identity(),
                        calibrationText(cal));
                printHeader(stdout, "detection (confidence)", score, cal);
                for (int i = 0; i < m.photos().size(); i++) {
                    PixelImage img = ImageDecoder.decode(files.get(i));
                    List<DetectedObject> found = det.detect(img);
                    List<BoxResult> results = runa.score(
                            img, found.stream().map(DetectedObject::box).toList());
                    List<AnnotatedBox> drawn = new ArrayList<>();
                    for (int b = 0; b < results.size(); b++) {
                        BoxResult r = results.get(b);
                        DetectedObject o = found.get(b);
                        String best = r.scores() == null
                                ? null
                                : labels.get(r.scores().bestClass());
                        printRow(
                                stdout,
                                m.photos().get(i).file(),
                                String.format(Locale.ROOT, "%s (%.2f)", o.label(), o.score()),
                                r,
                                best,
                                score);
                        drawn.add(AnnotatedBox.of(r, o.label(), score));
                    }
                    if (found.isEmpty()) {
                        stdout.printf(
                                Locale.ROOT, "%-34s %s%n", m.photos().get(i).file(), "(no detections)");
                    }
                    Path annotated = out.resolve(ScoreCommand.annotatedName(files.get(i)));
                    BoxAnnotator.write(img, drawn, annotated);
                    stdout.println("  -> " + annotated);
                }
            }
        }
        return 0;
    }

    private static String calibrationText(Calibration cal) {
        return cal == null
                ? "no calibration (column 'best class' = most similar ID class)"
                : "calibrated: OOD when " + cal.score().key() + " < "
                        + String.format(Locale.ROOT, "%.4f", cal.threshold());
    }

    /** The head of the demo's table, in the columns of {@link #printRow}. */
    private static void printHeader(PrintWriter out, String boxColumn, ScoreKind score, Calibration cal) {
        out.printf(Locale.ROOT, ROW, "image", boxColumn, score.key(), cal == null ? "best class" : "decision");
    }

    /** One line of the demo's table: photo, box, decision score and decision. */
    private static void printRow(PrintWriter out, String photo, String box, BoxResult r, String best, ScoreKind score) {
        String decision = r.scores() == null
                ? "error: " + r.error()
                : r.ood() == null ? best : r.ood() ? "OOD" : "ID (" + best + ")";
        String value = r.scores() == null
                ? "-"
                : String.format(Locale.ROOT, "%.4f", r.scores().get(score));
        out.printf(Locale.ROOT, ROW, photo, box, value, decision);
    }
}
