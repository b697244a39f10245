package dev.runa.server;

import dev.runa.image.DecodeOptions;
import java.time.Duration;

/**
 * What one request may cost the service; requests over a limit get 413 (size) or 429 (queue).
 *
 * @param maxBodyBytes   largest request body
 * @param maxPixels      Pillow's pixel limit: an image above twice it is refused, checked from its
 *                       header before decoding ({@link DecodeOptions#checkPixels})
 * @param maxBoxes       most boxes in one request
 * @param queueCapacity  most requests waiting for the encoder (and as many for the object detector); beyond it 429
 *                       with Retry-After
 * @param requestTimeout longest a request waits for its scores before 503
 * @param idleTimeout    longest a connection may stay silent (a trickling or vanished client)
 */
public record ServerLimits(
        long maxBodyBytes,
        long maxPixels,
        int maxBoxes,
        int queueCapacity,
        Duration requestTimeout,
        Duration idleTimeout) {

    /** 32 MiB bodies, the library's pixel limit, 256 boxes, 64 queued requests, 60 s, 30 s idle. */
    public static final ServerLimits DEFAULT = new ServerLimits(
            32L << 20, DecodeOptions.DEFAULT_MAX_PIXELS, 256, 64, Duration.ofSeconds(60), Duration.ofSeconds(30));

    public ServerLimits {
        if (maxBodyBytes < 1 || maxPixels < 1 || maxBoxes < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("limits must be >= 1");
        }
        if (requestTimeout.isNegative()
                || requestTimeout.isZero()
                || idleTimeout.isNegative()
                || idleTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public ServerLimits withMaxBodyBytes(long n) {
        return new ServerLimits(n, maxPixels, maxBoxes, queueCapacity, requestTimeout, idleTimeout);
    }

    public ServerLimits withMaxPixels(long n) {
        return new ServerLimits(maxBodyBytes, n, maxBoxes, queueCapacity, requestTimeout, idleTimeout);
    }

    public ServerLimits withMaxBoxes(int n) {
        return new ServerLimits(maxBodyBytes, maxPixels, n, queueCapacity, requestTimeout, idleTimeout);
    }

    public ServerLimits withQueueCapacity(int n) {
        return new ServerLimits(maxBodyBytes, maxPixels, maxBoxes, n, requestTimeout, idleTimeout);
    }

    public ServerLimits withRequestTimeout(Duration d) {
        return new ServerLimits(maxBodyBytes, maxPixels, maxBoxes, queueCapacity, d, idleTimeout);
    }

    public ServerLimits withIdleTimeout(Duration d) {
        return new ServerLimits(maxBodyBytes, maxPixels, maxBoxes, queueCapacity, requestTimeout, d);
    }
}
