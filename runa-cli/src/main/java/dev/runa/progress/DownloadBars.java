package dev.runa.progress;

import dev.runa.clip.hub.DownloadProgress;
import java.io.PrintWriter;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** Download progress as a bar on the command's error writer (stdout carries the CLI's machine-readable output). */
public final class DownloadBars implements DownloadProgress.Factory {
    private final PrintWriter err;

    public DownloadBars(PrintWriter err) {
        this.err = err;
    }

    @Override
    public DownloadProgress open(String name, long size, long alreadyHave) {
        ProgressBar pb = new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(size)
                .startsFrom(alreadyHave, Duration.ZERO)
                .setUnit("MiB", 1L << 20)
                .showSpeed()
                .setConsumer(new WriterBarConsumer(err))
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
