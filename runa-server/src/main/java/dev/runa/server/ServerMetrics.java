package dev.runa.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * The service's Prometheus metrics (Micrometer): {@code runa_http_requests_total{route,status}},
 * the latency histogram {@code runa_http_request_seconds}, the encoder batch-size histogram
 * {@code runa_batch_views}, the gauge {@code runa_queue_depth} and {@code runa_boxes_scored_total}.
 * Thread-safe.
 */
final class ServerMetrics implements DynamicBatcher.Listener {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DistributionSummary batchViews;
    private final DistributionSummary batchImages;
    private final Counter boxesScored;

    ServerMetrics(IntSupplier queueDepth) {
        batchViews = DistributionSummary.builder("runa.batch.views")
                .description("Views (regional + global crops) per encoder batch")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                .register(registry);
        batchImages = DistributionSummary.builder("runa.batch.images")
                .description("Requests (images) combined into one encoder batch")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32)
                .register(registry);
        boxesScored = Counter.builder("runa.boxes.scored")
                .description("Boxes answered by /v1/score and /v1/detect (with scores or a per-box error)")
                .register(registry);
        Gauge.builder("runa.queue.depth", queueDepth::getAsInt)
                .description("Requests waiting for the encoder")
                .register(registry);
    }

    /** Counts one finished request and its latency. */
    void request(String route, int status, long nanos) {
        Counter.builder("runa.http.requests")
                .description("HTTP requests by route and status")
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .register(registry)
                .increment();
        Timer.builder("runa.http.request")
                .description("HTTP request latency")
                .tag("route", route)
                .serviceLevelObjectives(
                        Duration.ofMillis(5),
                        Duration.ofMillis(10),
                        Duration.ofMillis(25),
                        Duration.ofMillis(50),
                        Duration.ofMillis(100),
                        Duration.ofMillis(250),
                        Duration.ofMillis(500),
                        Duration.ofSeconds(1),
                        Duration.ofMillis(2500),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(10))
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    @Override
    public void batch(int images, int views, int boxes) {
        batchImages.record(images);
        batchViews.record(views);
        boxesScored.increment(boxes);
    }

    /** Every metric in the Prometheus text format (0.0.4). */
    String scrape() {
        return registry.scrape();
    }
}
