package dev.runa.server;

import dev.runa.options.EntryPoint;
import dev.runa.options.RunaVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code runa-server.jar}, behind {@code ./runa serve} and {@code ./runa bench serve}.
 * Parsing and printing only; the work lives in {@link RunaServer} and the library.
 */
@Command(
        name = "runa",
        mixinStandardHelpOptions = true,
        versionProvider = RunaVersion.class,
        // Help the service words its own way (runa.* description keys of the shared options).
        resourceBundle = "dev.runa.server.Options",
        description = "RUNA as a service.",
        subcommands = {ServeCommand.class, ServerMain.Bench.class})
public final class ServerMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code runa bench serve}. */
    // --help here too: a usage error's hint says "Try 'runa bench --help'".
    @Command(
            name = "bench",
            mixinStandardHelpOptions = true,
            description = "Benchmarks of the service.",
            subcommands = ServeBenchCommand.class)
    static final class Bench implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** The command line with one clear line per error and no stack trace. */
    public static CommandLine commandLine() {
        return EntryPoint.commandLine(new ServerMain(), ServerMain::describe);
    }

    private static String describe(Throwable e) {
        if (e instanceof UncheckedIOException u) {
            e = u.getCause();
        }
        if (e instanceof NoSuchFileException n) {
            return "file not found: " + n.getFile();
        }
        if (e instanceof IOException && e.getMessage() != null) {
            return e.getMessage();
        }
        if (e instanceof RuntimeException && e.getMessage() != null && !(e instanceof NullPointerException)) {
            return e.getMessage();
        }
        return e.toString();
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
