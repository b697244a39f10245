package dev.runa.spark.cli;

import dev.runa.options.EntryPoint;
import dev.runa.options.RunaVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the Spark commands ({@code ./runa spark-score}, {@code spark-detect}, {@code spark-calibrate},
 * {@code bench spark}; or {@code spark-submit --class dev.runa.spark.cli.RunaSparkMain}). Parsing and
 * printing only; the work lives in {@code dev.runa.spark}.
 */
@Command(
        name = "runa",
        mixinStandardHelpOptions = true,
        versionProvider = RunaVersion.class,
        // Help Spark words its own way (runa.* description keys of the shared options).
        resourceBundle = "dev.runa.spark.cli.Options",
        description = "RUNA on Apache Spark.",
        subcommands = {
            CommandLine.HelpCommand.class,
            SparkScoreCommand.class,
            SparkCalibrateCommand.class,
            SparkDetectCommand.class,
            SparkBenchCommand.class
        })
public final class RunaSparkMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with one clear line per error and no stack trace (RUNA_DEBUG=1 shows it). */
    public static CommandLine commandLine() {
        return EntryPoint.commandLine(new RunaSparkMain(), RunaSparkMain::describe);
    }

    // Spark wraps executor failures; the innermost message is the one a user can act on.
    static String describe(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof org.apache.spark.SparkException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        // Spark's non-daemon threads would keep a finished local run alive.
        System.exit(code);
    }
}
