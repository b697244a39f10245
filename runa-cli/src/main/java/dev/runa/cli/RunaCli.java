package dev.runa.cli;

import dev.runa.options.EntryPoint;
import dev.runa.options.RunaVersion;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code runa} command line. Parsing and printing only; the work lives in the library. */
@Command(
        name = "runa",
        mixinStandardHelpOptions = true,
        versionProvider = RunaVersion.class,
        description = "Object-level out-of-distribution detection for object detectors with CLIP (RUNA).",
        subcommands = {
            CommandLine.HelpCommand.class,
            MetricsCommand.class,
            BenchCommand.class,
            DetectCommand.class,
            EmbedCommand.class,
            QuantCheckCommand.class,
            EvalCommand.class,
            ScoreCommand.class,
            CalibrateCommand.class,
            DemoCommand.class,
            FinetuneCommand.class,
            SelfCheckCommand.class,
        })
public final class RunaCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with the project's error handling: one clear line per error, no stack trace. */
    public static CommandLine commandLine() {
        // A usage error is the error and a one-line hint, not the ~60 lines of the command's help.
        return EntryPoint.commandLine(new RunaCli(), UserErrors::describe);
    }

    public static void main(String[] args) {
        CommandLine cl = commandLine();
        // Rows, JSON and CSV on stdout are UTF-8 whatever the locale (score always wrote UTF-8 bytes).
        cl.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        System.exit(cl.execute(args));
    }
}
