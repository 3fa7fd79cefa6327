package io.captioner.examples.server;

import io.javalin.openapi.OpenApiByFields;
import io.javalin.openapi.OpenApiDescription;
import io.javalin.openapi.OpenApiRequired;

/**
 * The JSON body of {@code GET /health}: whether the server takes work (status 200 with
 * {@code "ok"}, or 503 with {@code "draining"}), how loaded it is and how it batches.
 */
@OpenApiByFields
public final class HealthResponse {

    /** {@code "ok"} while requests are accepted, {@code "draining"} once a graceful stop began. */
    @OpenApiDescription("\"ok\" while captioning requests are accepted, \"draining\" during a graceful stop.")
    @OpenApiRequired
    public final String status;

    /** Name of the model served. */
    @OpenApiDescription("Name of the model served.")
    @OpenApiRequired
    public final String model;

    /** Seconds since the server started. */
    @OpenApiDescription("Seconds since the server started.")
    public final double uptime_s;

    /** Requests waiting for a worker. */
    @OpenApiDescription("Captioning requests waiting for a worker.")
    public final int queue_depth;

    /** Most requests that may wait for a worker; more are refused with 503. */
    @OpenApiDescription("Most requests that may wait; beyond it the server answers 503.")
    public final int queue_capacity;

    /** Workers captioning right now. */
    @OpenApiDescription("Workers captioning right now.")
    public final int busy_workers;

    /** Number of worker threads. */
    @OpenApiDescription("Number of worker threads.")
    public final int workers;

    /** Most requests captioned together in one batch; 1 when batching is off. */
    @OpenApiDescription("Most requests captioned together in one batch; 1 when batching is off.")
    public final int max_batch;

    /** Longest the oldest request of a batch waits for others, in milliseconds. */
    @OpenApiDescription("Longest the oldest request of a batch waits for others to join it, in ms.")
    public final double batch_window_ms;

    /** Whether {@code POST /caption?attention=true} returns attention maps (the model has attention). */
    @OpenApiDescription("Whether POST /caption?attention=true returns per-word attention maps.")
    public final boolean attention;

    /**
     * Creates the response.
     *
     * @param status "ok" or "draining"
     * @param model the model name
     * @param uptimeSeconds seconds since start
     * @param queueDepth requests waiting
     * @param queueCapacity most requests that may wait
     * @param busyWorkers workers captioning now
     * @param workers worker threads
     * @param maxBatch most requests per batch
     * @param batchWindowMs the batch window in milliseconds
     * @param attention whether attention maps can be requested
     */
    public HealthResponse(String status, String model, double uptimeSeconds, int queueDepth, int queueCapacity,
            int busyWorkers, int workers, int maxBatch, double batchWindowMs, boolean attention) {
        this.status = status;
        this.model = model;
        this.uptime_s = uptimeSeconds;
        this.queue_depth = queueDepth;
        this.queue_capacity = queueCapacity;
        this.busy_workers = busyWorkers;
        this.workers = workers;
        this.max_batch = maxBatch;
        this.batch_window_ms = batchWindowMs;
        this.attention = attention;
    }
}
