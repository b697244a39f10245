package dev.runa.cli;

import dev.runa.batch.BatchScorer;
import dev.runa.batch.ScoringJobs;
import dev.runa.clip.LoadedClip;
import dev.runa.image.DecodeOptions;
import dev.runa.ood.BoxResult;
import dev.runa.ood.Calibration;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import dev.runa.ood.ScoreKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code runa calibrate}: the ID/OOD threshold from ID boxes (the same inputs as {@code score}),
 * written with the settings it is valid for; {@code score --calibration F} refuses other settings.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Fit the ID/OOD threshold on in-distribution boxes so that --tpr of them are accepted.")
final class CalibrateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    RunaSettingsOptions settingsOptions;

    @Mixin
    BoxInputOptions inputs;

    @Option(names = "--tpr", defaultValue = "" + Calibration.DEFAULT_ID_ACCEPT_RATE, paramLabel = "F",
            description = "Fraction of ID boxes accepted as ID (default: ${DEFAULT-VALUE})")
    double tpr;

    @Option(names = "--out", defaultValue = "calibration.json", paramLabel = "FILE",
            description = "Calibration file to write (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = "Image decoding threads (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--images-per-batch", defaultValue = "4", paramLabel = "N",
            description = "Images whose boxes share encoder calls (default: ${DEFAULT-VALUE})")
    int imagesPerBatch;

    @Override
    public Integer call() throws Exception {
        if (!(tpr > 0 && tpr <= 1)) {
            throw new IllegalArgumentException("--tpr must lie in (0, 1], got " + tpr);
        }
        ScoringJobs jobs = inputs.jobs();
        LoadedClip clip = modelOptions.loader().load(modelOptions.model);
        RunaOptions options;
        try {
            options = settingsOptions.toOptions(clip, null);
        } catch (IOException | RuntimeException e) {
            clip.close();
            throw e;
        }
        ScoreKind kind = options.decisionScore();
        try (RunaDetector runa = RunaDetector.open(clip, options)) {
            double[] scores = new double[jobs.boxes()];
            int[] n = {0, 0};
            new BatchScorer(runa, DecodeOptions.DEFAULT, workers, imagesPerBatch).run(jobs.jobs(), image -> {
                for (BoxResult r : image.results()) {
                    if (r.ok()) {
                        scores[n[0]++] = r.scores().get(kind);
                    } else {
                        n[1]++;
                    }
                }
            });
            if (n[0] == 0) {
                throw new IllegalArgumentException("no ID box could be scored (" + n[1] + " errors): nothing to calibrate on");
            }
            Calibration cal = Calibration.fit(java.util.Arrays.copyOf(scores, n[0]), kind, tpr, runa.settings());
            cal.save(out);
            System.out.printf(Locale.ROOT, "calibrated %s: threshold %.6f accepts %.1f%% of %d ID boxes (%d unscorable"
                            + " skipped); written to %s%n", kind.key(), cal.threshold(), 100 * tpr, n[0], n[1], out);
        }
        return 0;
    }
}
