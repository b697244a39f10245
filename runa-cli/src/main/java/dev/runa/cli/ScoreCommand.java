package dev.runa.cli;

import dev.runa.batch.AnnotatedCopies;
import dev.runa.batch.BatchScorer;
import dev.runa.batch.RunTally;
import dev.runa.batch.ScoringJob;
import dev.runa.batch.ScoringJobs;
import dev.runa.image.DecodeOptions;
import dev.runa.ood.Calibration;
import dev.runa.ood.RunaDetector;
import dev.runa.options.CalibrationOption;
import dev.runa.options.ImageLimitOptions;
import dev.runa.output.ResumableFile;
import dev.runa.output.RowFormat;
import dev.runa.output.RowSink;
import dev.runa.progress.ProgressPolicy;
import dev.runa.progress.ProgressTask;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code runa score}: RUNA scores of detector boxes. Output contract (other tools parse it): one
 * row per box; as JSON Lines {@code {"file", "box": [x1, y1, x2, y2], "scores": {maxsim, mcm_t1,
 * mcm_t0.01, sum, energy_t0.01}, "ood": true|false|null, ...}} (see
 * {@link dev.runa.output.JsonLinesFormat}), or CSV with the same fields.
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = {
            "Score detector boxes with RUNA: one row per box (JSON Lines or CSV).",
            "Single image: --image FILE --box x1,y1,x2,y2 [--box ...]. Batch: --images DIR --detections results.json"
                    + " --image-list coco.json."
        })
final class ScoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    RunaSettingsOptions settingsOptions;

    @Mixin
    BoxInputOptions inputs;

    @Mixin
    ImageLimitOptions imageLimits;

    @Mixin
    RowOutputOptions output;

    @Mixin
    CalibrationOption calibration = new CalibrationOption();

    @Option(
            names = "--annotate",
            paramLabel = "DIR",
            description = "Also write annotated copies of the images as PNG here")
    Path annotate;

    @Override
    public Integer call() throws Exception {
        OutputChecks.file("--out", output.out);
        OutputChecks.folder("--annotate", annotate);
        try (OutputLocks locks = OutputLocks.of(output.out, "runa score")) {
            return run();
        }
    }

    private Integer run() throws Exception {
        RowFormat rowFormat = output.rowFormat();
        ScoringJobs jobs = inputs.jobs();
        Calibration cal = calibration.load();
        PrintWriter err = spec.commandLine().getErr();
        DecodeOptions decode = imageLimits.decodeOptions(output.exifOrientation, err);
        try (RunaDetector runa = settingsOptions.openDetector(modelOptions, cal)) {
            List<String> classLabels = runa.options().prompts().labels();
            try (RowSink sink =
                    output.open(rowFormat, runa, inputs.imagesPerBatch, modelOptions.threads(), inputs.describe())) {
                int start = sink instanceof ResumableFile rf ? rf.resumedImages() : 0;
                AnnotatedCopies copies = annotate == null
                        ? null
                        : new AnnotatedCopies(
                                annotate,
                                inputs.batch()
                                        ? inputs.imagesDir
                                        : inputs.image.toAbsolutePath().getParent(),
                                jobs.jobs().stream().map(ScoringJob::file).toList(),
                                classLabels,
                                runa.options().decisionScore());
                List<ScoringJob> todo = jobs.jobs()
                        .subList(
                                Math.min(start, jobs.jobs().size()), jobs.jobs().size());
                if (start > 0) {
                    err.printf(
                            Locale.ROOT,
                            "runa score: resuming %s: %d of %d images already done%n",
                            ResumableFile.partialOf(output.out),
                            start,
                            jobs.jobs().size());
                }
                int totalBoxes = todo.stream().mapToInt(j -> j.boxes().size()).sum();
                RunTally tally = new RunTally();
                ProgressTask bar = inputs.batch()
                        ? ProgressPolicy.forCommandLine(modelOptions.progress, err)
                                .start("score", totalBoxes, " boxes", 0)
                        : null;
                try {
                    new BatchScorer(runa, decode, inputs.workers, inputs.imagesPerBatch).run(todo, image -> {
                        sink.writeImage(rowFormat.lines(image, classLabels));
                        if (copies != null) {
                            copies.write(image, image.job().index(), decode);
                        }
                        tally.add(image);
                        if (bar != null) {
                            bar.stepBy(image.results().size());
                        }
                    });
                } finally {
                    if (bar != null) {
                        bar.close();
                    }
                }
                sink.finish();
                RunTally.Summary done = tally.summary();
                if (inputs.batch() || done.failedBoxes() > 0) {
                    err.printf(
                            Locale.ROOT,
                            "runa score: %d boxes on %d images scored, %d could not be scored%s%s%n",
                            done.scoredBoxes(),
                            done.images(),
                            done.failedBoxes(),
                            done.failuresByKind().isEmpty() ? "" : " (" + done.failuresText() + ")",
                            (jobs.filtered() > 0 ? ", " + jobs.filtered() + " below --min-confidence dropped" : "")
                                    + (jobs.unlisted() > 0
                                            ? ", " + jobs.unlisted() + " on images --image-list does not list skipped"
                                            : ""));
                    for (String e : done.firstBoxErrors()) {
                        err.println("  " + e);
                    }
                    if (done.failedBoxes() > done.firstBoxErrors().size()) {
                        err.println("  ... (every error is in the output's 'error' field)");
                    }
                }
                if (done.noBoxScored()) {
                    err.println("runa score: error: not one of the " + done.boxes()
                            + " boxes could be scored (every row is an error row)");
                    return 1;
                }
            }
        }
        return 0;
    }

    static String annotatedName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + ".png";
    }
}
