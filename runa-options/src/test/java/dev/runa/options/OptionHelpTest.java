package dev.runa.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.EncoderOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * How a front end keeps its own defaults and help for a shared option: a default value provider
 * and a resource bundle keyed by the option's description key, inherited by subcommands.
 */
class OptionHelpTest {
    /** Spark's way: --threads 0 and --classes auto. */
    public static final class Defaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (!arg.isOption()) {
                return null;
            }
            return switch (((OptionSpec) arg).longestName()) {
                case "--threads" -> "0";
                case "--classes" -> "auto";
                default -> null;
            };
        }
    }

    @Command(name = "job", defaultValueProvider = Defaults.class)
    static final class Job implements Runnable {
        @Mixin
        ClipModelOptions model;

        @Mixin
        PromptOptions prompts;

        @Override
        public void run() {}
    }

    @Command(name = "front", resourceBundle = "dev.runa.options.TestOptions", subcommands = Job.class)
    static final class Front implements Runnable {
        @Override
        public void run() {}
    }

    @Test
    void aFrontEndsProviderAndBundleSetItsDefaultsAndHelp() {
        CommandLine front = new CommandLine(new Front());
        CommandLine job = front.getSubcommands().get("job");
        front.parseArgs("job");
        Job parsed = job.getCommand();
        assertEquals(0, parsed.model.threads());
        assertTrue(parsed.prompts.classesAuto());
        String help = Parsing.usage(job);
        assertTrue(help.contains("ONNX Runtime threads per task (default: spark.task.cpus)"), help);
        assertTrue(help.contains("Front-end classes (default: auto)"), help);
        assertTrue(help.contains("Prompt template with a {label} placeholder"), "not overridden: the shared text");
    }

    @Test
    void withoutThemTheSharedDefaultsAndHelp() {
        String help = Parsing.usage(new CommandLine(new Parsing.Host()));
        assertTrue(
                help.contains("ONNX Runtime threads per inference (default: " + EncoderOptions.defaultThreads() + ")"),
                help);
        assertTrue(help.contains("(used verbatim in the prompt)"), help);
        assertFalse(help.contains("spark.task.cpus"), help);
        for (String flag : List.of(
                "--model=M",
                "--threads=N",
                "--precision=P",
                "--classes=SPEC",
                "--template=TEXT",
                "--lambda=L",
                "--detector-format=FMT",
                "--conf=C",
                "--iou=I",
                "--max-det=N",
                "--max-pixels=N",
                "--allow-truncated")) {
            assertTrue(help.contains(flag), flag + " in\n" + help);
        }
    }
}
