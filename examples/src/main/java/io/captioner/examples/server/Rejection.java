package io.captioner.examples.server;

/**
 * The ways a {@link CaptionServer} ends a connection because a client broke one of its
 * {@link ClientLimits}; {@link RejectionCounts} counts each.
 */
public enum Rejection {

    /**
     * A connection closed as soon as it was accepted, before any byte was read, because its
     * client address already had {@link ClientLimits#maxConnectionsPerAddress()} open. No HTTP
     * answer: no request has been read yet.
     */
    ADDRESS_LIMIT,

    /**
     * The total cap {@link ClientLimits#maxConnections()} was reached (counted once each time it
     * is reached, not per waiting client). Until connections close, new ones wait in the
     * operating system's accept queue, and open connections idle for
     * {@link ClientLimits#IDLE_TIMEOUT_WHEN_FULL} are closed.
     */
    CONNECTION_LIMIT,

    /**
     * A request whose line and headers exceed {@link ClientLimits#maxHeaderBytes()}: Jetty answers
     * {@code 431} ({@code 414} for a long URI) and closes the connection.
     */
    HEADER_TOO_LARGE,

    /**
     * A connection that received nothing for {@link ClientLimits#idleTimeout()} while the server
     * waited for its first request or for the rest of a request: closed, or answered {@code 408}
     * when the wait was for the body. Kept-alive connections closed idle between requests are
     * ordinary and not counted.
     */
    IDLE_TIMEOUT,

    /**
     * A request not fully received within {@link ClientLimits#requestDeadline()} of its first
     * byte: closed while still in its headers, answered {@code 408} while in its body.
     */
    REQUEST_DEADLINE,

    /**
     * A request body arriving slower than {@link ClientLimits#minUploadBytesPerSecond()}: answered
     * {@code 408}, then the connection is closed.
     */
    SLOW_UPLOAD
}
