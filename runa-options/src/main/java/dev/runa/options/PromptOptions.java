package dev.runa.options;

import dev.runa.data.LabelSet;
import dev.runa.ood.FeatureFusion;
import dev.runa.ood.PromptSet;
import dev.runa.setup.DetectorSettings;
import java.io.IOException;
import picocli.CommandLine.Option;

/**
 * RUNA's ID classes and how they are asked about: {@code --classes}, {@code --template},
 * {@code --lambda}, with the library's defaults. {@code --classes auto} (the object detector's own
 * class names) is the default where a command's default value provider says so ({@code runa detect},
 * {@code runa spark-detect}); its help has description key {@code runa.classes}. Front ends with more
 * RUNA options (the CLI's views, fusion and adapters) extend it. A mutable parse target; not
 * thread-safe.
 */
public class PromptOptions {
    @Option(
            names = "--classes",
            defaultValue = "voc",
            paramLabel = "SPEC",
            descriptionKey = "runa.classes",
            description =
                    "ID classes: voc, bdd, coco, \"label a,label b,...\" (used verbatim in the prompt) or @file.txt"
                            + " (one label per line) (default: ${DEFAULT-VALUE})")
    private String classes = "voc";

    @Option(
            names = "--template",
            defaultValue = PromptSet.DEFAULT_TEMPLATE,
            paramLabel = "TEXT",
            description = "Prompt template with a {label} placeholder (default: '${DEFAULT-VALUE}')")
    private String template = PromptSet.DEFAULT_TEMPLATE;

    @Option(
            names = "--lambda",
            defaultValue = "" + FeatureFusion.DEFAULT_LAMBDA,
            paramLabel = "L",
            description =
                    "Weight of the regional view: 1 = regional only (RE), 0 = global only (GE) (default: ${DEFAULT-VALUE})")
    private double lambda = FeatureFusion.DEFAULT_LAMBDA;

    /** {@code --classes} as given: a label set spec, or {@code auto}. */
    public String classes() {
        return classes;
    }

    /** {@code --template}. */
    public String template() {
        return template;
    }

    /** {@code --lambda}. */
    public double lambda() {
        return lambda;
    }

    /** True when {@code --classes} is {@code auto}: the object detector's own class names. */
    public boolean classesAuto() {
        return classes.trim().equalsIgnoreCase("auto");
    }

    /**
     * The label set {@code --classes} names; a caller that accepts {@code auto} checks
     * {@link #classesAuto()} first.
     *
     * @throws IOException when an {@code @file} cannot be read
     */
    public LabelSet labelSet() throws IOException {
        return LabelSet.parse(classes);
    }

    /** The prompts for {@code labels} with {@code --template}. */
    public PromptSet prompts(LabelSet labels) {
        return new PromptSet(labels.promptLabels(), template);
    }

    /** The library's detector settings for {@code labels} with these flags (other settings at their defaults). */
    public DetectorSettings detectorSettings(LabelSet labels) {
        return DetectorSettings.defaults(prompts(labels)).withLambda(lambda);
    }
}
