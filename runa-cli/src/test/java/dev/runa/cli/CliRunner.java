package dev.runa.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs the real command line in-process and captures what it prints: every command writes through
 * picocli's {@code getOut()}/{@code getErr()}, so no process-wide stream is swapped and runs need no
 * lock.
 */
final class CliRunner {
    record Result(int exitCode, String out, String err) {}

    private CliRunner() {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = RunaCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
