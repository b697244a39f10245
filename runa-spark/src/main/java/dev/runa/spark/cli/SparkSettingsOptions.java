package dev.runa.spark.cli;

import dev.runa.clip.ClipLoader;
import dev.runa.clip.Precision;
import dev.runa.ood.FeatureFusion;
import dev.runa.ood.PromptSet;
import dev.runa.spark.RunaSparkSettings;
import dev.runa.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** The options of every Spark job command: where Spark runs, and RUNA's settings. */
final class SparkSettingsOptions {
    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Spark master, e.g. local[2] or local[2,4] (4 attempts per task) (default: spark-submit's,"
                    + " else " + SparkSessions.DEFAULT_MASTER + ")")
    String master;

    @Option(
            names = "--model",
            defaultValue = ClipLoader.DEFAULT_MODEL,
            paramLabel = "M",
            description = "Hugging Face id (in every node's HF cache), checkpoint directory every executor can read,"
                    + " or random:tiny|vit-b-16|vit-b-32 (default: ${DEFAULT-VALUE})")
    String model;

    @Option(
            names = "--classes",
            defaultValue = "voc",
            paramLabel = "SPEC",
            description = "ID classes: voc, bdd, coco, \"label a,label b,...\" or @file.txt; for spark-detect also"
                    + " auto, the detector's class names (default: ${DEFAULT-VALUE})")
    String classes;

    @Option(
            names = "--template",
            defaultValue = PromptSet.DEFAULT_TEMPLATE,
            paramLabel = "TEXT",
            description = "Prompt template with a {label} placeholder (default: '${DEFAULT-VALUE}')")
    String template;

    @Option(
            names = "--lambda",
            defaultValue = "" + FeatureFusion.DEFAULT_LAMBDA,
            paramLabel = "L",
            description = "Weight of the regional view (default: ${DEFAULT-VALUE})")
    double lambda;

    @Option(
            names = "--adapter",
            paramLabel = "F",
            description = "Fine-tuned projection from runa finetune (read here, shipped to executors)")
    Path adapter;

    @Option(
            names = "--precision",
            defaultValue = "fp32",
            paramLabel = "P",
            description = "Vision encoder arithmetic: fp32, int8 or auto (default: ${DEFAULT-VALUE})")
    String precision;

    @Option(
            names = "--threads",
            defaultValue = "0",
            paramLabel = "N",
            description = "ONNX Runtime threads per task (default: spark.task.cpus)")
    int threads;

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

    /** The job's settings with these ID class labels. */
    RunaSparkSettings settings(List<String> classLabels) throws IOException {
        return RunaSparkSettings.defaults(classLabels)
                .withModel(model)
                .withTemplate(template)
                .withLambda(lambda)
                .withAdapter(adapter)
                .withPrecision(Precision.parse(precision))
                .withThreadsPerTask(threads)
                .withImagesPerBatch(imagesPerBatch)
                .withPartitions(partitions);
    }
}
