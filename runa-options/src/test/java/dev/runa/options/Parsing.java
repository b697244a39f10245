package dev.runa.options;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Test helpers: a command mixing in every shared option, and its help and errors as text. */
final class Parsing {
    private Parsing() {}

    @Command(name = "host", mixinStandardHelpOptions = true)
    static final class Host implements Runnable {
        @Mixin
        ClipModelOptions model;

        @Mixin
        PromptOptions prompts;

        @Mixin
        DetectorDecodingOptions decoding;

        @Mixin
        ImageLimitOptions limits;

        @Override
        public void run() {}
    }

    /** {@code args} parsed as every front end's entry point parses them. */
    static Host parse(String... args) {
        Host h = new Host();
        EntryPoint.commandLine(h, Throwable::getMessage).parseArgs(args);
        return h;
    }

    /** {@code cl}'s usage help as text. */
    static String usage(CommandLine cl) {
        StringWriter w = new StringWriter();
        cl.usage(new PrintWriter(w));
        return w.toString();
    }
}
