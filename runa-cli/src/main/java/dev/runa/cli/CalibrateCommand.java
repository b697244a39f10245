package dev.runa.cli;

import dev.runa.batch.BatchScorer;
import dev.runa.batch.ScoringJobs;
import dev.runa.ood.BoxResult;
import dev.runa.ood.Calibration;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.ScoreKind;
import dev.runa.options.ImageLimitOptions;
import dev.runa.progress.ProgressPolicy;
import dev.runa.progress.ProgressTask;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code runa calibrate}: the ID/OOD threshold from ID boxes (the same inputs as {@code score}),
 * written with the settings it is valid for; {@code score --calibration F} refuses other settings.
 */
@Command(
        name = "calibrate",
        mixinStandardHelpOptions = true,
        description = "Fit the ID/OOD threshold on in-distribution boxes so that --tpr of them are accepted.")
final class CalibrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ImageLimitOptions imageLimits;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    RunaSettingsOptions settingsOptions;

    @Mixin
    BoxInputOptions inputs;

    @Option(
            names = "--tpr",
            defaultValue = "" + Calibration.DEFAULT_ID_ACCEPT_RATE,
            paramLabel = "F",
            description = "Fraction of ID boxes accepted as ID (default: ${DEFAULT-VALUE})")
    double tpr;

    @Option(
            names = "--out",
            defaultValue = "calibration.json",
            paramLabel = "FILE",
            description = "Calibration file to write (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        OutputChecks.file("--out", out);
        try (OutputLocks locks = OutputLocks.of(out, "runa calibrate")) {
            return run();
        }
    }

    private Integer run() throws Exception {
        if (!(tpr > 0 && tpr <= 1)) {
            throw new IllegalArgumentException("--tpr must lie in (0, 1], got " + tpr);
        }
        ScoringJobs jobs = inputs.jobs();
        try (RunaDetector runa = settingsOptions.openDetector(modelOptions, null)) {
            ScoreKind kind = runa.options().decisionScore();
            double[] scores = new double[jobs.boxes()];
            int[] n = {0, 0};
            ProgressTask progress = ProgressPolicy.forCommandLine(
                            modelOptions.progress, spec.commandLine().getErr())
                    .start("calibrate", jobs.boxes(), " boxes", 0);
            new BatchScorer(
                            runa,
                            imageLimits.decodeOptions(false, spec.commandLine().getErr()),
                            inputs.workers,
                            inputs.imagesPerBatch)
                    .run(jobs.jobs(), image -> {
                        for (BoxResult r : image.results()) {
                            if (r.ok()) {
                                scores[n[0]++] = r.scores().get(kind);
                            } else {
                                n[1]++;
                            }
                        }
                        progress.stepBy(image.results().size());
                    });
            progress.close();
            if (n[0] == 0) {
                throw new IllegalArgumentException(
                        "no ID box could be scored (" + n[1] + " errors): nothing to calibrate on");
            }
            Calibration cal = Calibration.fit(Arrays.copyOf(scores, n[0]), kind, tpr, runa.settings());
            cal.save(out);
            spec.commandLine().getOut().println(cal.summary(n[1]) + "; written to " + out);
        }
        return 0;
    }
}
