package io.captioner.examples.server;

import java.time.Duration;

/**
 * The limits that keep a {@link CaptionServer} available when clients are slow or abusive
 * (slowloris-style attacks: connections held open by sending a request very slowly, or nothing at
 * all); immutable, part of {@link ServerConfig}.
 *
 * <p>Each limit is enforced by Jetty, under Javalin, on the connection: a client that exceeds one
 * loses its connection, with a {@code 408} answer when a request is being read and the answer can
 * still be sent, and other clients are not slowed down. How each limit ends a connection is listed
 * in {@link Rejection}.
 *
 * @param requestDeadline longest the server waits for a whole request, request line, headers and
 *     body, counted from its first byte; a request still arriving then ends its connection
 * @param minUploadBytesPerSecond slowest accepted request body, in bytes per second averaged from
 *     its first byte (Jetty's minimum request data rate); 0 disables the check
 * @param idleTimeout longest a connection may go without receiving a byte while the server waits
 *     for a request or for more of one (also how long an idle kept-alive connection stays open)
 * @param maxConnections most connections open at once; while reached the server accepts no more
 *     (they wait in the operating system's queue) and closes connections idle for
 *     {@link #IDLE_TIMEOUT_WHEN_FULL}. Each connection holds at most one Jetty thread, and the
 *     server sizes Jetty's thread pool to this cap, so slow clients cannot exhaust the threads
 * @param maxConnectionsPerAddress most connections open at once from one client IP address;
 *     further connections from it are closed as soon as they are accepted, before any byte is
 *     read. At most {@code maxConnections}
 * @param maxHeaderBytes largest request line plus headers; larger requests get Jetty's {@code 431}
 *     (or {@code 414} for a long URI) and lose their connection
 */
public record ClientLimits(
        Duration requestDeadline,
        long minUploadBytesPerSecond,
        Duration idleTimeout,
        int maxConnections,
        int maxConnectionsPerAddress,
        int maxHeaderBytes) {

    /** Default request deadline: 30 s, enough for a 10 MiB upload at 350 kB/s. */
    public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(30);
    /** Default minimum upload rate: 1 KiB/s, far below any working network link. */
    public static final long DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND = 1024;
    /** Default idle timeout: 30 s, Jetty's own default. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Default cap on open connections. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** Default cap on open connections per client address; browsers open at most 6. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 32;
    /** Default header size limit: 8 KiB, Jetty's own default. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 8192;
    /** Idle timeout applied to every open connection while {@link #maxConnections()} is reached. */
    public static final Duration IDLE_TIMEOUT_WHEN_FULL = Duration.ofSeconds(1);

    /** Largest accepted {@link #maxConnections()}: each connection may hold a Jetty thread. */
    static final int MAX_CONNECTIONS_LIMIT = 10_000;
    private static final int MIN_HEADER_BYTES = 1024;
    private static final int MAX_HEADER_BYTES_LIMIT = 64 * 1024;

    /**
     * Validates every field.
     *
     * @param requestDeadline longest wait for a whole request, positive
     * @param minUploadBytesPerSecond slowest accepted body in bytes per second, 0 for no minimum
     * @param idleTimeout longest a connection may receive nothing while a request is awaited, positive
     * @param maxConnections most open connections, 1 to 10000
     * @param maxConnectionsPerAddress most open connections per client address, 1 to {@code maxConnections}
     * @param maxHeaderBytes largest request line plus headers in bytes, 1024 to 65536
     * @throws IllegalArgumentException naming the field, the rule and the value found
     */
    public ClientLimits {
        require(requestDeadline != null && requestDeadline.toMillis() >= 1,
                "requestDeadline must be at least 1 ms, found " + requestDeadline);
        require(minUploadBytesPerSecond >= 0,
                "minUploadBytesPerSecond must be 0 (no minimum) or more, found " + minUploadBytesPerSecond);
        require(idleTimeout != null && idleTimeout.toMillis() >= 1,
                "idleTimeout must be at least 1 ms, found " + idleTimeout);
        require(maxConnections >= 1 && maxConnections <= MAX_CONNECTIONS_LIMIT,
                "maxConnections must be from 1 to " + MAX_CONNECTIONS_LIMIT + ", found " + maxConnections);
        require(maxConnectionsPerAddress >= 1 && maxConnectionsPerAddress <= maxConnections,
                "maxConnectionsPerAddress must be from 1 to maxConnections (" + maxConnections + "), found "
                        + maxConnectionsPerAddress);
        require(maxHeaderBytes >= MIN_HEADER_BYTES && maxHeaderBytes <= MAX_HEADER_BYTES_LIMIT,
                "maxHeaderBytes must be from " + MIN_HEADER_BYTES + " to " + MAX_HEADER_BYTES_LIMIT + ", found "
                        + maxHeaderBytes);
    }

    /**
     * Returns the documented defaults.
     *
     * @return limits with every {@code DEFAULT_} value
     */
    public static ClientLimits defaults() {
        return new ClientLimits(DEFAULT_REQUEST_DEADLINE, DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_MAX_HEADER_BYTES);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public String toString() {
        return "ClientLimits[deadline=" + requestDeadline.toMillis() + " ms, minUpload="
                + (minUploadBytesPerSecond == 0 ? "none" : minUploadBytesPerSecond + " B/s") + ", idle="
                + idleTimeout.toMillis() + " ms, connections=" + maxConnections + ", perAddress="
                + maxConnectionsPerAddress + ", maxHeader=" + maxHeaderBytes + " B]";
    }
}
