package dev.runa.spark.cli;

import dev.runa.options.ClipModelOptions;
import dev.runa.options.PromptOptions;
import dev.runa.spark.RunaSparkSettings;
import dev.runa.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of every Spark job command: where Spark runs, and RUNA's settings. The model and
 * prompt options are every front end's ({@link ClipModelOptions}, {@link PromptOptions}); their help
 * here comes from this package's {@code Options} bundle, {@code --threads}' default of 0 (one per
 * task CPU) from {@link SparkDefaults}.
 */
final class SparkSettingsOptions {
    @Mixin
    ClipModelOptions model = new ClipModelOptions();

    @Mixin
    PromptOptions prompts = new PromptOptions();

    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Spark master, e.g. local[2] or local[2,4] (4 attempts per task) (default: spark-submit's,"
                    + " else " + SparkSessions.DEFAULT_MASTER + ")")
    String master;

    @Option(
            names = "--adapter",
            paramLabel = "F",
            description = "Fine-tuned projection from runa finetune (read here, shipped to executors)")
    Path adapter;

    @Option(
            names = "--images-per-batch",
            defaultValue = "" + RunaSparkSettings.DEFAULT_IMAGES_PER_BATCH,
            paramLabel = "N",
            description = "Images whose boxes share encoder calls (default: ${DEFAULT-VALUE})")
    int imagesPerBatch;

    @Option(
            names = "--partitions",
            defaultValue = "0",
            paramLabel = "N",
            description = "Partitions the boxes are spread over by image (default: 4 per core)")
    int partitions;

    SparkSession session(String appName) {
        return SparkSessions.getOrCreate(master, appName);
    }

    /** {@code --classes} as given (a label set spec, or {@code auto} for spark-detect). */
    String classes() {
        return prompts.classes();
    }

    /** {@code --threads}: ONNX Runtime threads per task, 0 for {@code spark.task.cpus}. */
    int threads() {
        return model.threads();
    }

    /** The job's settings with these ID class labels. */
    RunaSparkSettings settings(List<String> classLabels) throws IOException {
        return RunaSparkSettings.defaults(classLabels)
                .withModel(model.model())
                .withTemplate(prompts.template())
                .withLambda(prompts.lambda())
                .withAdapter(adapter)
                .withPrecision(model.precision())
                .withThreadsPerTask(model.threads())
                .withImagesPerBatch(imagesPerBatch)
                .withPartitions(partitions);
    }
}
