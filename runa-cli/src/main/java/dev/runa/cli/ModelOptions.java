package dev.runa.cli;

import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.Precision;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.options.ClipModelOptions;
import dev.runa.progress.DownloadBars;
import dev.runa.progress.ProgressPolicy;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every command that runs CLIP shares: which model, and how ONNX Runtime runs it
 * ({@code --model}, {@code --precision}, {@code --threads} as in every front end, see
 * {@link ClipModelOptions}), plus the CLI's {@code --sessions} and {@code --progress}.
 */
final class ModelOptions extends ClipModelOptions {

    // The command this mixin belongs to: download progress and warnings go to its error writer.
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--sessions",
            paramLabel = "S",
            description = "Vision encoder sessions sharing --threads, running independent batches in parallel;"
                    + " for many cores, each costs one more copy of the weights (docs/performance.md)"
                    + " (default: one per 4 threads, so 1 below 8 threads)")
    Integer sessions;

    /** {@code --sessions}, or {@link EncoderOptions#defaultSessions(int)} of the {@code threads} in use. */
    int sessions(int threads) {
        return sessions != null ? sessions : EncoderOptions.defaultSessions(threads);
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
        return loader(precision());
    }

    // The warning is said once per command, however many encoders (CLIP, a detector) ask.
    private boolean threadsWarned;

    /**
     * {@code --threads}, capped at the available processors with a warning: more ONNX Runtime
     * threads than cores only contend (100000 of them never finish starting).
     */
    int usableThreads() {
        int threads = threads();
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads > cores) {
            if (spec != null && !threadsWarned) {
                threadsWarned = true;
                spec.commandLine()
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
        int t = usableThreads();
        return new ClipLoader(
                new HubClient(
                        settings,
                        new DownloadBars(ProgressPolicy.forCommandLine(
                                progress, spec.commandLine().getErr()))),
                EncoderOptions.defaults().withThreads(t).withPrecision(p).withSessions(sessions(t)));
    }
}
