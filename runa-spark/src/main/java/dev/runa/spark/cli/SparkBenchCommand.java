package dev.runa.spark.cli;

import dev.runa.spark.bench.SparkBench;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code runa bench}: the Spark benchmarks ({@code bench spark}); the other benchmarks live in the CLI jar. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks of the Spark module.",
        subcommands = {SparkBenchCommand.Spark.class})
final class SparkBenchCommand {

    /** {@code runa bench spark}: local Spark against in-process scoring, same data, same run. */
    @Command(
            name = "spark",
            mixinStandardHelpOptions = true,
            description = "Boxes/s of RUNA on local Spark vs in-process runa score on the same generated data;"
                    + " last line JSON {spark_boxes_per_s, in_process_boxes_per_s, ratio}.")
    static final class Spark implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", defaultValue = "random:vit-b-16", paramLabel = "M", description = "CLIP to run")
        String model;

        @Option(names = "--boxes", defaultValue = "64", paramLabel = "N", description = "Boxes to score")
        int boxes;

        @Option(names = "--boxes-per-image", defaultValue = "4", paramLabel = "N", description = "Boxes per image")
        int boxesPerImage;

        @Option(
                names = "--cores",
                defaultValue = "2",
                split = ",",
                paramLabel = "C[,C...]",
                description = "Spark local[C] core counts to measure; the JSON line compares the largest"
                        + " (default: ${DEFAULT-VALUE})")
        List<Integer> cores;

        @Override
        public Integer call() throws Exception {
            new SparkBench(model, boxes, boxesPerImage, cores)
                    .run(spec.commandLine().getOut());
            return 0;
        }
    }
}
