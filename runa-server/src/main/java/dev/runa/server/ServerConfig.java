package dev.runa.server;

/**
 * Where and how the service listens and batches.
 *
 * @param host      interface to bind (loopback unless told otherwise)
 * @param port      TCP port; 0 picks a free one
 * @param maxBatch  most encoder views combined from concurrent requests into one batch
 * @param maxWaitMs longest the first request of a batch waits for others to join it
 * @param token     bearer token every route but {@code GET /healthz} requires, or null for none
 * @param limits    request limits
 */
public record ServerConfig(String host, int port, int maxBatch, long maxWaitMs, String token, ServerLimits limits) {
    /** The default bind address: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max batch must be >= 1, got " + maxBatch);
        }
        if (maxWaitMs < 0) {
            throw new IllegalArgumentException("max wait must be >= 0 ms, got " + maxWaitMs);
        }
        if (token != null && token.isEmpty()) {
            throw new IllegalArgumentException("the token is empty");
        }
    }
}
