package dev.runa.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The entry points' shared setup: one line per error and exit 2, the version, the flag spelling. */
class EntryPointTest {
    @Command(name = "runa", mixinStandardHelpOptions = true, versionProvider = RunaVersion.class)
    static final class Failing implements Callable<Integer> {
        @Option(names = "--n", paramLabel = "N")
        int n;

        @Override
        public Integer call() {
            throw new IllegalStateException("the model is missing");
        }
    }

    private record Run(int code, String out, String err) {}

    private static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void anExecutionErrorIsOneLineMadeByTheFrontEndAndExitTwo() {
        Run r = run(EntryPoint.commandLine(new Failing(), e -> "said: " + e.getMessage()));
        assertEquals(2, r.code());
        assertEquals(
                List.of("runa: said: the model is missing"), r.err().lines().toList());
    }

    @Test
    void aUsageErrorIsOneLineAndAHintNotTheWholeHelp() {
        Run r = run(EntryPoint.commandLine(new Failing(), Throwable::getMessage), "--n", "x");
        assertEquals(2, r.code());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("runa: Invalid value for option '--n'"), lines.get(0));
        assertEquals("Try 'runa --help' for the options.", lines.get(1));
    }

    @Test
    void anAtArgumentIsAValueNotAnArgumentFile() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("labels", ".txt");
        try {
            java.nio.file.Files.writeString(file, "red car\nblue car\n");
            PromptOptions o = Parsing.parse("--classes", "@" + file).prompts;
            assertEquals("@" + file, o.classes());
            assertEquals(List.of("red car", "blue car"), o.labelSet().promptLabels());
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void versionAndFlagSpelling() {
        Run v = run(EntryPoint.commandLine(new Failing(), Throwable::getMessage), "--version");
        assertEquals(0, v.code());
        assertEquals("runa-java 0.1.0", v.out().strip());
        assertEquals("--min-confidence", Flags.of("minConfidence"));
        assertEquals("--gt-format", Flags.of("groundTruthFormat"));
        assertEquals("--model", Flags.of("model"));
    }
}
