package io.captioner.examples.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of one {@link CaptionServer}, published at {@code GET /metrics} in Prometheus text
 * format by Micrometer's Prometheus registry.
 *
 * <p>Meters (Prometheus names): {@code captioner_http_requests_seconds} (a histogram by
 * {@code method}, {@code route} and {@code status}: its {@code _count} is requests by status, its
 * buckets the latency), {@code captioner_queue_depth} and {@code captioner_queue_capacity},
 * {@code captioner_workers_busy} and {@code captioner_workers}, {@code captioner_batch_size} (a
 * histogram of the images in each call to the captioner), {@code captioner_inference_seconds}
 * (the time of each such call), {@code captioner_captions_total} (captions written: its
 * {@code rate()} is captions per second), {@code captioner_connections_rejected_total} by
 * {@code reason} (the {@link RejectionCounts}), Jetty's connections and thread pool, the JVM's
 * memory, garbage collection, threads and classes, and the process's CPU time, resident and
 * virtual memory and open files ({@code process_resident_memory_bytes}, where PyTorch's native
 * memory shows). Thread-safe.
 */
final class ServerMetrics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerMetrics.class);
    /** The Prometheus text format version 0.0.4, which every Prometheus server reads. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Latency buckets: from a fast small model to a slow queue, up to the default timeout. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)
    };

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final DistributionSummary batchSize;
    private final Timer inference;
    private final Counter captions;

    /**
     * Creates the registry with the JVM and process meters and the captioning meters.
     *
     * @param maxBatch the most images per captioner call, the top bucket of the batch-size histogram
     */
    ServerMetrics(int maxBatch) {
        PrometheusRegistry prometheus = new PrometheusRegistry();
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, prometheus,
                io.micrometer.core.instrument.Clock.SYSTEM);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        ProcessMetrics.builder().register(prometheus);
        this.batchSize = DistributionSummary.builder("captioner.batch.size")
                .description("Images in each call to the captioner: requests batched together with the same options")
                .baseUnit("images")
                .serviceLevelObjectives(batchBuckets(maxBatch))
                .register(registry);
        this.inference = Timer.builder("captioner.inference")
                .description("Time of each call to the captioner (encoder and search of one batch)")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        this.captions = Counter.builder("captioner.captions")
                .description("Captions written; rate() gives captions per second")
                .register(registry);
    }

    private static double[] batchBuckets(int maxBatch) {
        List<Double> buckets = new ArrayList<>();
        for (int b = 1; b < maxBatch; b *= 2) {
            buckets.add((double) b);
        }
        buckets.add((double) maxBatch);
        return buckets.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Returns the registry, for callers that add meters of their own.
     *
     * @return the registry; closed with this object
     */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Publishes the work queue and the workers as gauges read at each scrape.
     *
     * @param depth requests waiting now
     * @param capacity most requests that may wait
     * @param busy workers captioning now
     * @param workers worker threads
     */
    void bindQueue(IntSupplier depth, int capacity, IntSupplier busy, int workers) {
        // Strong references: Micrometer holds a gauge's object weakly, and nothing else holds these.
        Gauge.builder("captioner.queue.depth", depth, s -> s.getAsInt()).strongReference(true)
                .description("Captioning requests waiting for a worker").register(registry);
        Gauge.builder("captioner.queue.capacity", () -> capacity).strongReference(true)
                .description("Most requests that may wait; beyond it the server answers 503").register(registry);
        Gauge.builder("captioner.workers.busy", busy, s -> s.getAsInt()).strongReference(true)
                .description("Workers captioning now").register(registry);
        Gauge.builder("captioner.workers", () -> workers).strongReference(true)
                .description("Worker threads").register(registry);
    }

    /**
     * Publishes each kind of client rejection as a counter with its kind as the {@code reason} tag.
     *
     * @param counts the server's counts, read at each scrape
     */
    void bindRejections(RejectionCounts counts) {
        for (Rejection kind : Rejection.values()) {
            FunctionCounter.builder("captioner.connections.rejected", counts, c -> c.get(kind))
                    .description("Connections ended because a client broke one of the server's limits")
                    .tag("reason", kind.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }

    /**
     * Publishes Jetty's thread pool.
     *
     * @param pool the server's thread pool
     */
    void bindJettyThreads(ThreadPool pool) {
        JettyServerThreadPoolMetrics metrics = new JettyServerThreadPoolMetrics(pool, Tags.empty());
        metrics.bindTo(registry);
        closeables.add(metrics);
    }

    /**
     * Returns a listener that counts a connector's connections; add it to the connector as a bean.
     *
     * @param connector the connector
     * @return the listener
     */
    JettyConnectionMetrics connectionListener(Connector connector) {
        return new JettyConnectionMetrics(registry, connector);
    }

    /**
     * Records one answered HTTP request.
     *
     * @param method the HTTP method
     * @param route the matched route, e.g. {@code /caption}, or {@code unmatched}
     * @param status the HTTP status sent
     * @param nanos the time from the request's arrival at the router to its answer
     */
    void recordRequest(String method, String route, int status, long nanos) {
        Timer.builder("captioner.http.requests")
                .description("HTTP requests by method, route and status, with their latency")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Records one call to the captioner.
     *
     * @param images the images captioned together
     * @param nanos the time the call took
     */
    void recordBatch(int images, long nanos) {
        batchSize.record(images);
        inference.record(nanos, TimeUnit.NANOSECONDS);
        captions.increment(images);
    }

    /**
     * Writes every meter in the Prometheus text format.
     *
     * @return the text, content type {@link #CONTENT_TYPE}
     */
    String scrape() {
        return registry.scrape(CONTENT_TYPE);
    }

    @Override
    public void close() {
        gc.close();
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("Closing a metrics binder failed", e);
            }
        }
        registry.close();
    }
}
