package dev.runa.spark.cli;

import dev.runa.data.LabelSet;
import dev.runa.options.CalibrationOption;
import dev.runa.options.DetectorDecodingOptions;
import dev.runa.spark.DetectSettings;
import dev.runa.spark.RunaSpark;
import dev.runa.spark.RunaSparkSettings;
import dev.runa.spark.table.DetectedRows;
import dev.runa.spark.table.ImageTables;
import dev.runa.spark.table.ScoreRows;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code runa spark-detect}: {@code runa detect} on Spark. An ONNX object detector, then RUNA, on a
 * folder or table of images; rows as {@code runa detect}'s (plus one error row per unreadable
 * image), written through Spark's committer. Parses options, calls {@link RunaSpark#detectAndScore}
 * and {@link DetectedRows}, prints.
 */
@Command(
        name = "spark-detect",
        mixinStandardHelpOptions = true,
        defaultValueProvider = SparkDetectCommand.Defaults.class,
        description = {
            "Run an ONNX object detector on images, then score its boxes with RUNA, on Spark; rows as runa detect's,"
                    + " in Parquet or JSON part files.",
            "--classes auto (the default) makes the detector's own class names RUNA's ID classes."
        })
final class SparkDetectCommand implements Callable<Integer> {

    /**
     * {@code --classes} defaults to {@code auto} here (the detector's classes), as in {@code runa
     * detect}; the other defaults are every Spark command's.
     */
    static final class Defaults extends SparkDefaults {
        @Override
        public String defaultValue(CommandLine.Model.ArgSpec arg) {
            return isOption(arg, "--classes") ? "auto" : super.defaultValue(arg);
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    SparkSettingsOptions runa;

    @Option(
            names = "--detector",
            required = true,
            paramLabel = "F",
            description = "The detector, an ONNX file (a path or URI every executor can read)")
    String detector;

    @Mixin
    DetectorDecodingOptions decoding;

    @Option(
            names = "--images",
            paramLabel = "DIR",
            description = "Every .jpg/.jpeg/.png in DIR (a folder or URI), by name, as runa detect --images;"
                    + " with --input, what the table's relative files are relative to")
    String images;

    @Option(
            names = "--input",
            paramLabel = "TABLE",
            description = "A Parquet table (directory or .parquet) of images: column file (relative to --images,"
                    + " absolute, or a URI), optional image_id; images are taken in file order")
    String input;

    @Mixin
    CalibrationOption calibration = new CalibrationOption();

    @Mixin
    SparkOutputOptions output;

    @Override
    public Integer call() throws Exception {
        if (images == null && input == null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "spark-detect needs the images: --images DIR or --input TABLE");
        }
        ScoreRows.Format f = output.format();
        DetectSettings detect =
                new DetectSettings(detector, decoding.format(), decoding.conf(), decoding.iou(), decoding.maxDet());
        SparkSession spark = runa.session("runa spark-detect");
        LabelSet requested = runa.prompts.classesAuto() ? null : runa.prompts.labelSet();
        List<String> classes = RunaSpark.idClasses(spark, detect, runa.threads(), requested);
        RunaSparkSettings settings =
                RunaSpark.resolve(spark, runa.settings(classes).withCalibration(calibration.file()));
        RunaSpark.scoringSettings(settings); // fails here, clearly, if the model or a file does not load
        Dataset<Row> table =
                input != null ? ImageTables.fromParquet(spark, input, images) : ImageTables.ofFolder(spark, images);
        ScoreRows.Counts c;
        try {
            c = DetectedRows.write(RunaSpark.detectAndScore(table, settings, detect), output.out, f, output.overwrite);
        } catch (ScoreRows.OutputExistsException e) {
            throw SparkOutputOptions.exists(e);
        }
        spec.commandLine()
                .getErr()
                .printf(
                        Locale.ROOT,
                        "runa spark-detect: %d boxes detected and scored, %d rows with an error (unreadable images,"
                                + " boxes that could not be scored; see 'error'); written to %s%n",
                        c.rows() - c.errors(),
                        c.errors(),
                        output.out);
        return 0;
    }
}
