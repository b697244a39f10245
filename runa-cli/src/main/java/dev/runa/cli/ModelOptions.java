package dev.runa.cli;

import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.Precision;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.progress.DownloadBars;
import picocli.CommandLine.Option;

/** The options every command that runs CLIP shares: which model, and how ONNX Runtime runs it. */
final class ModelOptions {

    @Option(
            names = "--model",
            defaultValue = ClipLoader.DEFAULT_MODEL,
            paramLabel = "M",
            description =
                    "Hugging Face id (ORG/NAME[@REV]), local checkpoint directory, or random:tiny|vit-b-16|vit-b-32"
                            + " (default: ${DEFAULT-VALUE})")
    String model;

    @Option(
            names = "--threads",
            defaultValue = "" + EncoderOptions.DEFAULT_THREADS,
            paramLabel = "N",
            description = "ONNX Runtime threads per inference (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(
            names = "--precision",
            defaultValue = "fp32",
            paramLabel = "P",
            converter = PrecisionConverter.class,
            description = "Vision encoder arithmetic: fp32, int8 (faster, slightly less exact; see runa quant-check)"
                    + " or auto (int8 on CPUs with VNNI) (default: ${DEFAULT-VALUE})")
    Precision precision;

    /** Parses {@code --precision} values case-insensitively. */
    static final class PrecisionConverter implements picocli.CommandLine.ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            return Precision.parse(value);
        }
    }

    @Option(
            names = "--progress",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Show progress: bars on a terminal, a plain line every few seconds otherwise; --no-progress"
                    + " shows none (default: on)")
    boolean progress;

    /** A loader honouring HF_HOME, HF_HUB_OFFLINE, HF_TOKEN and HF_ENDPOINT. */
    ClipLoader loader() {
        return loader(precision == null ? Precision.FP32 : precision);
    }

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /**
     * {@code --threads}, capped at the available processors with a warning: more ONNX Runtime
     * threads than cores only contend (100000 of them never finish starting).
     */
    int threads() {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads > cores) {
            if (mixee != null) {
                mixee.commandLine()
                        .getErr()
                        .println("runa: warning: --threads " + threads + " is more than the " + cores
                                + " available processors; using " + cores);
            }
            return cores;
        }
        return threads;
    }

    /** A loader like {@link #loader()} whose models run the vision encoder at {@code p}. */
    ClipLoader loader(Precision p) {
        HubSettings settings = HubSettings.fromEnvironment();
        if (!progress) {
            settings = settings.withProgress(false);
        }
        return new ClipLoader(
                new HubClient(settings, new DownloadBars()),
                EncoderOptions.defaults().withThreads(threads()).withPrecision(p));
    }
}
