package io.captioner.examples.server;

import io.javalin.openapi.OpenApiByFields;
import io.javalin.openapi.OpenApiDescription;
import io.javalin.openapi.OpenApiRequired;

/** The JSON body of {@code GET /health}: whether the server takes work, and how loaded it is. */
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
     */
    public HealthResponse(String status, String model, double uptimeSeconds, int queueDepth, int queueCapacity,
            int busyWorkers, int workers) {
        this.status = status;
        this.model = model;
        this.uptime_s = uptimeSeconds;
        this.queue_depth = queueDepth;
        this.queue_capacity = queueCapacity;
        this.busy_workers = busyWorkers;
        this.workers = workers;
    }
}
