package dev.runa.options;

import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.Precision;
import dev.runa.settings.SettingException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * Which CLIP model runs, and how ONNX Runtime runs its encoder: {@code --model}, {@code --precision},
 * {@code --threads}. A front end whose default differs supplies it through its default value
 * provider (Spark: {@code --threads 0}, one per task CPU) and its help through the description keys
 * {@code runa.model}, {@code runa.threads}, {@code runa.precision}. Front ends with more encoder
 * options (the CLI's {@code --sessions}) extend it. A mutable parse target; not thread-safe.
 */
public class ClipModelOptions {
    @Option(
            names = "--model",
            defaultValue = ClipLoader.DEFAULT_MODEL,
            paramLabel = "M",
            descriptionKey = "runa.model",
            description =
                    "Hugging Face id (ORG/NAME[@REV]), local checkpoint directory, or random:tiny|vit-b-16|vit-b-32"
                            + " (default: ${DEFAULT-VALUE})")
    private String model;

    @Option(
            names = "--threads",
            paramLabel = "N",
            descriptionKey = "runa.threads",
            description = "ONNX Runtime threads per inference (default: ${DEFAULT-VALUE})")
    private int threads = EncoderOptions.defaultThreads();

    @Option(
            names = "--precision",
            defaultValue = "fp32",
            paramLabel = "P",
            converter = PrecisionConverter.class,
            descriptionKey = "runa.precision",
            description = "Vision encoder arithmetic: fp32, int8 (faster, slightly less exact; see runa quant-check)"
                    + " or auto (int8 on CPUs with VNNI) (default: ${DEFAULT-VALUE})")
    private Precision precision;

    /** {@code --model}: a Hugging Face id, checkpoint directory or {@code random:NAME}. */
    public String model() {
        return model;
    }

    /** {@code --threads} as given (or its default); checking it against the machine is the caller's. */
    public int threads() {
        return threads;
    }

    /** {@code --precision}; {@link Precision#FP32} when the mixin was not parsed. */
    public Precision precision() {
        return precision == null ? Precision.FP32 : precision;
    }

    /** The library's encoder options for these flags, with {@code threads} ONNX Runtime threads. */
    public EncoderOptions encoderOptions(int threads) {
        return EncoderOptions.defaults().withThreads(threads).withPrecision(precision());
    }

    /** Parses {@code --precision} values case-insensitively; a bad one is a usage error naming the flag. */
    public static final class PrecisionConverter implements ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            try {
                return Precision.parse(value);
            } catch (SettingException e) {
                throw new IllegalArgumentException(e.settingMessage().spelled(Flags::of));
            }
        }
    }
}
