package dev.runa.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The shared options keep Spark's defaults and wording: --threads 0 (spark.task.cpus), --classes voc
 * (auto for spark-detect), and the executor notes in --model's help. Parsing only, no Spark session.
 */
class SparkOptionDefaultsTest {
    private static CommandLine sub(String name) {
        return RunaSparkMain.commandLine().getSubcommands().get(name);
    }

    /** Parses {@code args} from the root, as main does; the subcommand's command object. */
    private static <T> T parse(String... args) {
        CommandLine root = RunaSparkMain.commandLine();
        root.parseArgs(args);
        return root.getSubcommands().get(args[0]).getCommand();
    }

    @Test
    void sparkDefaults() {
        SparkScoreCommand s = parse("spark-score", "--images", "i", "--detections", "d.json", "--out", "o");
        assertEquals(0, s.job.runa.threads(), "0: one thread per task CPU");
        assertEquals("voc", s.job.runa.classes());
        assertEquals(null, s.calibration.file());

        SparkDetectCommand d =
                parse("spark-detect", "--detector", "y.onnx", "--images", "i", "--out", "o", "--conf", "0.4");
        assertEquals(0, d.runa.threads());
        assertEquals("auto", d.runa.classes());
        assertEquals(0.4, d.decoding.conf());

        SparkCalibrateCommand c = parse("spark-calibrate", "--images", "i", "--detections", "d.json", "--threads", "3");
        assertEquals(3, c.job.runa.threads());
    }

    @Test
    void sparkWording() {
        CommandLine detect = sub("spark-detect");
        assertEquals("ONNX Runtime threads per task (default: spark.task.cpus)", description(detect, "--threads"));
        assertTrue(description(detect, "--model").contains("checkpoint directory every executor can read"));
        assertTrue(description(detect, "--calibration").contains("runa calibrate or spark-calibrate"));
        StringWriter w = new StringWriter();
        detect.usage(new PrintWriter(w));
        String help = w.toString().replaceAll("\\s+", " ");
        assertTrue(help.contains("the detector's class names (default: auto)"), help);
    }

    private static String description(CommandLine cl, String option) {
        return String.join(" ", cl.getCommandSpec().findOption(option).description());
    }
}
