package dev.runa.spark.cli;

import dev.runa.options.CalibrationOption;
import dev.runa.spark.RunaSpark;
import dev.runa.spark.RunaSparkSettings;
import dev.runa.spark.table.ScoreRows;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code runa spark-score}: {@code runa score}'s rows, computed on Spark and written through its committer. */
@Command(
        name = "spark-score",
        mixinStandardHelpOptions = true,
        defaultValueProvider = SparkDefaults.class,
        description = "Score detector boxes with RUNA on Spark; rows as runa score's, in Parquet or JSON part files.")
final class SparkScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SparkJobOptions job;

    @Mixin
    CalibrationOption calibration = new CalibrationOption();

    @Mixin
    SparkOutputOptions output;

    @Override
    public Integer call() throws Exception {
        ScoreRows.Format f = output.format();
        RunaSparkSettings settings = job.settings().withCalibration(calibration.file());
        SparkSession spark = job.session("runa spark-score");
        settings = RunaSpark.resolve(spark, settings);
        RunaSpark.scoringSettings(settings); // fails here, clearly, if the model or a file does not load
        try {
            ScoreRows.write(
                    ScoreRows.of(RunaSpark.score(job.detections(spark), settings)), output.out, f, output.overwrite);
        } catch (ScoreRows.OutputExistsException e) {
            throw SparkOutputOptions.exists(e);
        }
        ScoreRows.Counts c = ScoreRows.countWritten(spark, output.out, f);
        spec.commandLine()
                .getErr()
                .printf(
                        Locale.ROOT,
                        "runa spark-score: %d boxes scored, %d could not be scored (see 'error'); written to %s%n",
                        c.rows() - c.errors(),
                        c.errors(),
                        output.out);
        return 0;
    }
}
