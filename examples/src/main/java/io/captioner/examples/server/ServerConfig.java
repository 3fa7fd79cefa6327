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
                + ", queue=" + queueCapacity + ", timeout=" + timeout.toMillis() + " ms, grace="
                + shutdownGrace.toMillis() + " ms, token=" + (tokenRequired ? "required" : "none") + ", "
                + clientLimits + "]";
    }
}
