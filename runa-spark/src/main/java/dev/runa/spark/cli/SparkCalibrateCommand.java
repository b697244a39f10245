package dev.runa.spark.cli;

import dev.runa.ood.Calibration;
import dev.runa.ood.ScoreKind;
import dev.runa.spark.RunaSpark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code runa spark-calibrate}: {@code runa calibrate}'s threshold, with the scoring done on Spark. */
@Command(
        name = "spark-calibrate",
        mixinStandardHelpOptions = true,
        defaultValueProvider = SparkDefaults.class,
        description = "Fit the ID/OOD threshold on ID boxes scored on Spark (exact; the same file as runa calibrate).")
final class SparkCalibrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SparkJobOptions job;

    @Option(
            names = "--tpr",
            defaultValue = "" + Calibration.DEFAULT_ID_ACCEPT_RATE,
            paramLabel = "F",
            description = "Fraction of ID boxes accepted as ID (default: ${DEFAULT-VALUE})")
    double tpr;

    @Option(
            names = "--score",
            defaultValue = "maxsim",
            paramLabel = "KEY",
            description = "Score the threshold applies to: maxsim, mcm_t1, mcm_t0.01, sum, energy_t0.01"
                    + " (default: ${DEFAULT-VALUE})")
    String score;

    @Option(
            names = "--out",
            defaultValue = "calibration.json",
            paramLabel = "FILE",
            description = "Calibration file to write (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!(tpr > 0 && tpr <= 1)) {
            throw new IllegalArgumentException("--tpr must lie in (0, 1], got " + tpr);
        }
        SparkSession spark = job.session("runa spark-calibrate");
        RunaSpark.CalibrationRun run = RunaSpark.calibrateCounting(
                job.detections(spark), job.settings().withDecisionScore(ScoreKind.fromKey(score)), tpr);
        Calibration cal = run.calibration();
        cal.save(out);
        spec.commandLine().getOut().println(cal.summary(run.unscorable()) + "; written to " + out);
        return 0;
    }
}
