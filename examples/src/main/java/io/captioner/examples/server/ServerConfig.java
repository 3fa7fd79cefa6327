package io.captioner.examples.server;

import java.time.Duration;

/**
 * The limits and address of a {@link CaptionServer}; immutable, built by
 * {@link CaptionServer.Builder}.
 *
 * @param host the interface to bind, {@code 127.0.0.1} (loopback) unless changed
 * @param port the TCP port, 0 for an ephemeral one (see {@link CaptionServer#port()})
 * @param maxUploadBytes the largest accepted request body, image and multipart framing together;
 *     larger uploads get 413 before they are read into memory
 * @param workers threads that caption concurrently; the captioner must be thread-safe when above 1
 * @param queueCapacity requests that may wait for a worker; more get 503
 * @param maxBatch most requests captioned together in one call to the captioner; 1 captions each
 *     request on its own
 * @param batchWindow longest the oldest request of a batch waits for others to join it
 * @param timeout longest a request may wait and be captioned before it gets 504
 * @param shutdownGrace longest {@link CaptionServer#stop()} waits for requests in flight
 * @param tokenRequired whether {@code POST /caption} needs a bearer token (the token itself is
 *     never part of this record)
 * @param clientLimits the deadlines, rates and connection caps that keep slow or abusive clients
 *     from holding the server
 */
public record ServerConfig(
        String host,
        int port,
        long maxUploadBytes,
        int workers,
        int queueCapacity,
        int maxBatch,
        Duration batchWindow,
        Duration timeout,
        Duration shutdownGrace,
        boolean tokenRequired,
        ClientLimits clientLimits) {

    /** Default interface: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default port. */
    public static final int DEFAULT_PORT = 8080;
    /** Default upload limit: 10 MiB. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 10L * 1024 * 1024;
    /** Default number of workers: one, which suits a captioner that is not thread-safe. */
    public static final int DEFAULT_WORKERS = 1;
    /** Default queue capacity. */
    public static final int DEFAULT_QUEUE = 32;
    /** Default batch size limit: one encoder pass and one search for up to 16 requests. */
    public static final int DEFAULT_MAX_BATCH = 16;
    /** Largest batch size limit accepted. */
    public static final int MAX_MAX_BATCH = 256;
    /**
     * Default batch window in milliseconds: short against a caption's own time (about 10 ms for the quickstart
     * model), so a lone request hardly waits; under load, batches fill from the queue anyway.
     */
    public static final long DEFAULT_BATCH_WINDOW_MS = 2;
    /** {@link #DEFAULT_BATCH_WINDOW_MS} as a duration. */
    public static final Duration DEFAULT_BATCH_WINDOW = Duration.ofMillis(DEFAULT_BATCH_WINDOW_MS);
    /** Longest batch window accepted. */
    public static final Duration MAX_BATCH_WINDOW = Duration.ofSeconds(1);
    /** Default per-request timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Default shutdown grace period. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

    /**
     * Validates every field.
     *
     * @param host the interface to bind
     * @param port the TCP port, 0 for an ephemeral one
     * @param maxUploadBytes the largest accepted request body in bytes
     * @param workers threads that caption concurrently
     * @param queueCapacity requests that may wait for a worker
     * @param maxBatch most requests per call to the captioner
     * @param batchWindow longest the oldest request of a batch waits for others
     * @param timeout longest a request may wait and be captioned
     * @param shutdownGrace longest a stop waits for requests in flight
     * @param tokenRequired whether a bearer token is required
     * @param clientLimits the limits on slow or abusive clients
     * @throws IllegalArgumentException naming the field, the rule and the value found
     */
    public ServerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank, found '" + host + "'");
        }
        require(port >= 0 && port <= 65535, "port must be from 0 to 65535, found " + port);
        require(maxUploadBytes >= 1, "maxUploadBytes must be at least 1, found " + maxUploadBytes);
        require(workers >= 1, "workers must be at least 1, found " + workers);
        require(queueCapacity >= 0, "queueCapacity must be 0 or more, found " + queueCapacity);
        require(maxBatch >= 1 && maxBatch <= MAX_MAX_BATCH,
                "maxBatch must be from 1 to " + MAX_MAX_BATCH + ", found " + maxBatch);
        require(batchWindow != null && !batchWindow.isNegative() && batchWindow.compareTo(MAX_BATCH_WINDOW) <= 0,
                "batchWindow must be from 0 to " + MAX_BATCH_WINDOW.toMillis() + " ms, found " + batchWindow);
        require(timeout != null && !timeout.isNegative() && !timeout.isZero(),
                "timeout must be positive, found " + timeout);
        require(shutdownGrace != null && !shutdownGrace.isNegative(),
                "shutdownGrace must be 0 or positive, found " + shutdownGrace);
        require(clientLimits != null, "clientLimits must not be null");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public String toString() {
        return "ServerConfig[" + host + ":" + port + ", maxUpload=" + maxUploadBytes + " B, workers=" + workers
                + ", queue=" + queueCapacity + ", maxBatch=" + maxBatch + ", batchWindow="
                + batchWindow.toNanos() / 1e6 + " ms, timeout=" + timeout.toMillis() + " ms, grace="
                + shutdownGrace.toMillis() + " ms, token=" + (tokenRequired ? "required" : "none") + ", "
                + clientLimits + "]";
    }
}
