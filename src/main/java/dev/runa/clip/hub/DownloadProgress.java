package dev.runa.clip.hub;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.time.Duration;

/** Reports bytes of one file transfer; closed when the transfer ends. */
interface DownloadProgress extends AutoCloseable {

    /** Total bytes now present (including bytes kept from an earlier, resumed attempt). */
    void bytesSoFar(long bytes);

    @Override
    void close();

    DownloadProgress NONE = new DownloadProgress() {
        @Override
        public void bytesSoFar(long bytes) {
        }

        @Override
        public void close() {
        }
    };

    /** A bar on stderr (stdout carries the CLI's machine-readable output). Size -1 when unknown. */
    static DownloadProgress bar(String name, long size, long alreadyHave) {
        ProgressBar pb = new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(size)
                .startsFrom(alreadyHave, Duration.ZERO)
                .setUnit("MiB", 1L << 20)
                .showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
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
