package dev.runa.options;

import java.util.Objects;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * The picocli setup every front end's {@code main} shares: a failed command prints one line,
 * {@code runa: <message>}, and exits 2 (a usage error adds a one-line hint); {@code RUNA_DEBUG} set in the environment adds the stack
 * trace. Each front end says how it turns an exception into that message (the CLI spells setting
 * names as flags, Spark unwraps its executor failures). An argument starting with {@code @} is taken
 * as it is, not as picocli's argument file: {@code --classes @labels.txt} names a label file.
 * Stateless; the returned command line is the caller's, used from one thread.
 */
public final class EntryPoint {
    /** The exit code of a failed command (picocli's for invalid input, too). */
    public static final int EXIT_ERROR = 2;

    private EntryPoint() {}

    /**
     * A command line for {@code root} whose execution errors are one line made by {@code describe},
     * and whose usage errors are the error and a one-line hint ({@code Try 'runa score --help' for
     * the options.}) rather than the command's whole help.
     */
    public static CommandLine commandLine(Object root, Function<Throwable, String> describe) {
        Objects.requireNonNull(describe, "describe");
        // picocli would otherwise replace "@labels.txt" by the file's words before --classes sees it.
        CommandLine cl = new CommandLine(root).setExpandAtFiles(false);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("runa: " + describe.apply(ex));
            if (System.getenv("RUNA_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            }
            return EXIT_ERROR;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println("runa: " + ex.getMessage());
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for the options.");
            failed.getErr().flush();
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cl;
    }
}
