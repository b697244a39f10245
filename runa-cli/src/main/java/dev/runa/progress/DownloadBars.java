package dev.runa.progress;

import dev.runa.clip.hub.DownloadProgress;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** Download progress by the command line's {@link ProgressPolicy} (stdout carries the CLI's machine-readable output). */
public final class DownloadBars implements DownloadProgress.Factory {
    private final ProgressPolicy policy;

    /** Downloads shown as {@code policy} says: bars on a terminal, lines otherwise, nothing when off. */
    public DownloadBars(ProgressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public DownloadProgress open(String name, long size, long alreadyHave) {
        if (policy.mode() != ProgressPolicy.Mode.BAR) {
            ProgressTask t = policy.start(name, size >> 20, " MiB", alreadyHave >> 20);
            return new DownloadProgress() {
                @Override
                public void bytesSoFar(long bytes) {
                    t.stepTo(bytes >> 20);
                }

                @Override
                public void close() {
                    t.close();
                }
            };
        }
        ProgressBar pb = new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(size)
                .startsFrom(alreadyHave, Duration.ZERO)
                .setUnit("MiB", 1L << 20)
                .showSpeed()
                .setConsumer(new WriterBarConsumer(policy.err()))
                .build();
        return new DownloadProgress() {
            @Override
            public void bytesSoFar(long bytes) {
                pb.stepTo(bytes);
            }

            @Override
            public void close() {
                pb.close();
            }
        };
    }
}
