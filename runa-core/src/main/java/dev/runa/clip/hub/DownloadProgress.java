package dev.runa.clip.hub;

/**
 * Reports the bytes of one file transfer; closed when the transfer ends. The hub client opens one per
 * file through a {@link Factory}; front ends bring their own (the CLI draws a progress bar).
 * Implementations are used by one download thread at a time.
 */
public interface DownloadProgress extends AutoCloseable {

    /** Total bytes now present (including bytes kept from an earlier, resumed attempt). */
    void bytesSoFar(long bytes);

    @Override
    void close();

    /** Reports nothing. */
    DownloadProgress NONE = new DownloadProgress() {
        @Override
        public void bytesSoFar(long bytes) {}

        @Override
        public void close() {}
    };

    /** Opens the progress of one transfer. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param name        the file being fetched
         * @param size        its size in bytes, -1 when unknown
         * @param alreadyHave bytes kept from an earlier, interrupted attempt
         */
        DownloadProgress open(String name, long size, long alreadyHave);

        /** Reports nothing. */
        Factory NONE = (name, size, alreadyHave) -> DownloadProgress.NONE;
    }
}
