package dev.runa.cli;

import dev.runa.data.Box;
import dev.runa.demo.DemoManifest;
import dev.runa.demo.PhotoCache;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import dev.runa.ood.BoxResult;
import dev.runa.ood.Calibration;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import dev.runa.ood.ScoreKind;
import dev.runa.render.AnnotatedBox;
import dev.runa.render.BoxAnnotator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
            "Downloads the model and the photos on first use; later runs need no network."
        })
final class DemoCommand implements Callable<Integer> {

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
            names = "--manifest",
            paramLabel = "F",
            description = "Photos and boxes to use instead of the built-in manifest (same JSON layout)")
    Path manifest;

    @Override
    public Integer call() throws Exception {
        OutputChecks.folder("--out", out);
        OutputChecks.folder("--cache", cache);
        PrintStream stdout = System.out;
        PrintStream err = System.err;
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
        int skipped = 0;
        try (RunaDetector runa = settingsOptions.openDetector(modelOptions, cal)) {
            RunaOptions options = runa.options();
            List<String> labels = options.prompts().labels();
            ScoreKind score = options.decisionScore();
            stdout.printf(
                    Locale.ROOT,
                    "RUNA demo: model %s, ID classes %s (%d), %s%n",
                    runa.clip().identity(),
                    settingsOptions.classes,
                    labels.size(),
                    cal == null
                            ? "no calibration (column 'best class' = most similar ID class)"
                            : "calibrated: OOD when " + cal.score().key() + " < "
                                    + String.format(Locale.ROOT, "%.4f", cal.threshold()));
            stdout.printf(
                    Locale.ROOT,
                    "%-34s %-34s %9s  %s%n",
                    "image",
                    "box (note)",
                    score.key(),
                    cal == null ? "best class" : "decision");
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
                    String decision = r.scores() == null
                            ? "error: " + r.error()
                            : r.ood() == null ? best : r.ood() ? "OOD" : "ID (" + best + ")";
                    stdout.printf(
                            Locale.ROOT,
                            "%-34s %-34s %9s  %s%n",
                            p.file(),
                            p.boxes().get(b).note(),
                            r.scores() == null
                                    ? "-"
                                    : String.format(
                                            Locale.ROOT, "%.4f", r.scores().get(score)),
                            decision);
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
}
