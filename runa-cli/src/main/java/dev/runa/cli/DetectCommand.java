package dev.runa.cli;

import dev.runa.batch.AnnotatedCopies;
import dev.runa.batch.RunTally;
import dev.runa.batch.ScoredImage;
import dev.runa.data.LabelSet;
import dev.runa.detect.CocoDetectionsFile;
import dev.runa.detect.DetectAndScore;
import dev.runa.detect.DetectedImage;
import dev.runa.detect.ImageFolder;
import dev.runa.detect.ObjectDetector;
import dev.runa.image.DecodeOptions;
import dev.runa.io.Sha256;
import dev.runa.ood.Calibration;
import dev.runa.ood.RunaDetector;
import dev.runa.options.CalibrationOption;
import dev.runa.options.DetectorDecodingOptions;
import dev.runa.options.ImageLimitOptions;
import dev.runa.output.ResumableFile;
import dev.runa.output.RowFormat;
import dev.runa.output.RowSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code runa detect}: an ONNX object detector, then RUNA, on images. Rows are {@code runa score}'s
 * batch rows (label, confidence and category_id are the detector's). Parses options, runs
 * {@link DetectAndScore}, writes rows through the same sinks as {@code score}.
 */
@Command(
        name = "detect",
        mixinStandardHelpOptions = true,
        defaultValueProvider = DetectCommand.Defaults.class,
        description = {
            "Run an ONNX object detector on images, then score its boxes with RUNA: one row per box (as runa score).",
            "Detectors: Ultralytics YOLOv5/v8/11 exports (yolo export format=onnx), end-to-end (YOLOv10-style),"
                    + " RT-DETR, torchvision detection graphs.",
            "--classes auto (the default) makes the detector's own class names RUNA's ID classes."
        })
final class DetectCommand implements Callable<Integer> {

    /** {@code --classes} defaults to {@code auto} here (the detector's classes), not {@code score}'s {@code voc}. */
    static final class Defaults implements CommandLine.IDefaultValueProvider {
        @Override
        public String defaultValue(CommandLine.Model.ArgSpec arg) {
            return arg.isOption()
                            && ((CommandLine.Model.OptionSpec) arg)
                                    .longestName()
                                    .equals("--classes")
                    ? "auto"
                    : null;
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    RunaSettingsOptions settingsOptions;

    @Mixin
    DetectorDecodingOptions detectorOptions;

    @Option(names = "--detector", required = true, paramLabel = "F", description = "The detector, an ONNX file")
    Path detector;

    static final class Inputs {
        @Option(names = "--images", paramLabel = "DIR", description = "Every .jpg/.jpeg/.png in DIR, by name")
        Path imagesDir;

        @Option(names = "--image", paramLabel = "F", description = "One image; repeatable")
        List<Path> images;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Inputs inputs;

    @Mixin
    CalibrationOption calibration = new CalibrationOption();

    @Option(
            names = "--annotate",
            paramLabel = "DIR",
            description = "Also write annotated copies of the images with detections as PNG here")
    Path annotate;

    @Option(
            names = "--detections-out",
            paramLabel = "F",
            description = "Also write the detections as a COCO results JSON, and beside it the image list"
                    + " F.images.json, for runa score/eval --detections F --image-list F.images.json")
    Path detectionsOut;

    @Option(
            names = "--workers",
            defaultValue = "2",
            paramLabel = "N",
            description = "Decode + detect threads (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(
            names = "--images-per-batch",
            defaultValue = "4",
            paramLabel = "N",
            description = "Images whose boxes share encoder calls (default: ${DEFAULT-VALUE})")
    int imagesPerBatch;

    @Mixin
    ImageLimitOptions imageLimits;

    @Mixin
    RowOutputOptions output;

    @Override
    public Integer call() throws Exception {
        OutputChecks.file("--out", output.out);
        OutputChecks.file("--detections-out", detectionsOut);
        OutputChecks.folder("--annotate", annotate);
        try (OutputLocks locks = OutputLocks.of(output.out, "runa detect")) {
            return run();
        }
    }

    private Integer run() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        RowFormat rowFormat = output.rowFormat();
        List<Path> files = inputs.imagesDir != null ? ImageFolder.list(inputs.imagesDir) : inputs.images;
        if (files.isEmpty()) {
            throw new IllegalArgumentException(inputs.imagesDir + ": no .jpg, .jpeg or .png files");
        }
        Calibration cal = calibration.load();
        DecodeOptions decode = imageLimits.decodeOptions(output.exifOrientation, err);
        try (ObjectDetector det =
                ObjectDetector.open(detector, detectorOptions.settings(modelOptions.usableThreads()))) {
            LabelSet requested = settingsOptions.classesAuto() ? null : settingsOptions.labelSet();
            LabelSet id = DetectAndScore.idClasses(det.graph(), det.source(), requested);
            try (RunaDetector runa = settingsOptions.openDetector(modelOptions, cal, id);
                    RowSink sink = output.open(
                            rowFormat, runa, imagesPerBatch, modelOptions.threads(), resumeSettings(files))) {
                List<String> classLabels = runa.options().prompts().labels();
                AnnotatedCopies copies = annotate == null
                        ? null
                        : new AnnotatedCopies(
                                annotate,
                                inputs.imagesDir != null
                                        ? inputs.imagesDir
                                        : Path.of("").toAbsolutePath(),
                                files,
                                classLabels,
                                runa.options().decisionScore());
                int start = sink instanceof ResumableFile rf ? rf.resumedImages() : 0;
                if (start > 0) {
                    err.printf(
                            Locale.ROOT,
                            "runa detect: resuming %s: %d images with detections already done%n",
                            ResumableFile.partialOf(output.out),
                            start);
                }
                List<DetectedImage> all = new ArrayList<>();
                RunTally tally = new RunTally();
                new DetectAndScore(det, runa, decode, workers, imagesPerBatch).run(files, start, image -> {
                    all.add(keptForDetectionsOut(image));
                    ScoredImage scored = image.scored();
                    tally.add(scored, image.error());
                    if (scored == null) {
                        return;
                    }
                    sink.writeImage(rowFormat.lines(scored, classLabels));
                    if (copies != null) {
                        copies.write(scored, image.position(), decode);
                    }
                });
                sink.finish();
                if (detectionsOut != null) {
                    Path list = CocoDetectionsFile.imageListFor(detectionsOut);
                    CocoDetectionsFile.write(
                            detectionsOut,
                            list,
                            inputs.imagesDir,
                            all,
                            det.graph().classNames());
                    err.printf(Locale.ROOT, "runa detect: detections in %s, image list in %s%n", detectionsOut, list);
                }
                RunTally.Summary done = tally.summary();
                err.printf(
                        Locale.ROOT,
                        "runa detect: %d images (%s, %s), %d with detections scored now, %d boxes, %d boxes could"
                                + " not be scored, %d images unreadable%n",
                        done.images(),
                        det.graph().format().key(),
                        det.source(),
                        done.scoredImages(),
                        done.boxes(),
                        done.failedBoxes(),
                        done.unreadableImages());
                for (String p : done.firstImageErrors()) {
                    err.println("  " + p);
                }
                return 0;
            }
        }
    }

    // Which files, in which order: a resumed run must see the same list.
    private static String namesDigest(List<Path> files) {
        StringBuilder names = new StringBuilder();
        files.forEach(f -> names.append(f.toAbsolutePath()).append('\n'));
        return Sha256.of(names.toString());
    }

    // Per image only what --detections-out needs is kept (nothing per box without it), never the scores.
    private DetectedImage keptForDetectionsOut(DetectedImage i) {
        return new DetectedImage(
                i.position(),
                i.file(),
                i.width(),
                i.height(),
                detectionsOut == null ? List.of() : i.objects(),
                null,
                i.error());
    }

    // What a resumed run must share with the interrupted one beyond the row output's settings.
    private Map<String, String> resumeSettings(List<Path> files) throws IOException {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("detector", Sha256.of(detector));
        s.put("detector_options", detectorOptions.describe());
        s.put("images", files.size() + " files, names sha256:" + namesDigest(files));
        return s;
    }
}
