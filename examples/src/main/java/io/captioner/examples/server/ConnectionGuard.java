package io.captioner.examples.server;

import io.javalin.config.JavalinConfig;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.IO;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a server's {@link ClientLimits} into the Jetty server under Javalin, and counts in
 * {@link RejectionCounts} each time one ends a connection.
 *
 * <p>Jetty's own mechanisms do the work: the connector's idle timeout, the
 * {@link HttpConfiguration} request header size and minimum request data rate, and
 * {@link ConnectionLimit} for the total cap (which also lowers the idle timeout while the cap is
 * reached). Two limits have no Jetty class in Jetty 11 and are small additions here:
 * <ul>
 *   <li>the per-address cap ({@code ConnectionLimit} counts all clients together;
 *       {@code ThreadLimitHandler} limits threads per address only once a request's headers are
 *       parsed; {@code DoSFilter} limits request rates, also after the headers): a
 *       {@link SelectorManager.AcceptListener} that closes a connection when it is accepted;</li>
 *   <li>the request deadline (Jetty has idle timeouts and a body data rate, but no limit on the
 *       whole time a request takes to arrive, so a client sending a header byte per second is never
 *       idle): a periodic check over the connector's connections that hands an overdue request to
 *       Jetty's own timeout handling.</li>
 * </ul>
 *
 * <p>Reading a request body happens on the Jetty thread that handles the request, never on a
 * captioning worker, so a slow upload holds a connection and one Jetty thread; the thread pool is
 * sized to {@link ClientLimits#maxConnections()} plus headroom so that those cannot run out.
 * Thread-safe; one instance serves one start of one server.
 */
final class ConnectionGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    /** Jetty threads beyond one per allowed connection: acceptor, selectors, reserved threads. */
    static final int THREAD_HEADROOM = 32;
    /**
     * Connections the operating system may hold for Jetty to accept (capped by the system, e.g.
     * {@code net.core.somaxconn}). Java's default of 50 overflows when hundreds connect at once,
     * and then every client, normal ones too, waits a second for its connection to be retried.
     */
    static final int ACCEPT_QUEUE = 1024;
    /** Idle timeout, in ms, that makes Jetty fail a blocked body read at once. */
    private static final long EXPIRE_NOW_MS = 1;

    private final ClientLimits limits;
    private final RejectionCounts counts;

    /**
     * Creates the guard.
     *
     * @param limits the limits to enforce
     * @param counts where rejections are counted
     */
    ConnectionGuard(ClientLimits limits, RejectionCounts counts) {
        this.limits = limits;
        this.counts = counts;
    }

    /**
     * Configures Javalin's Jetty: thread pool, HTTP configuration and the one connector, bound to
     * {@code host:port}. Call from the {@code Javalin.create} configuration, then start Javalin
     * without a host or port (the connector has them).
     *
     * @param cfg the Javalin configuration being built
     * @param host the interface to bind
     * @param port the TCP port, 0 for an ephemeral one
     * @param metrics where the thread pool and the connections are published
     */
    void install(JavalinConfig cfg, String host, int port, ServerMetrics metrics) {
        QueuedThreadPool threads = new QueuedThreadPool(limits.maxConnections() + THREAD_HEADROOM, 8, 60_000);
        threads.setName("caption-http");
        metrics.bindJettyThreads(threads);
        cfg.jetty.threadPool = threads;
        cfg.jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(limits.maxHeaderBytes());
            http.setMinRequestDataRate(limits.minUploadBytesPerSecond());
        });
        cfg.jetty.addConnector((server, http) -> {
            ServerConnector connector = connector(server, http, host, port);
            connector.addBean(metrics.connectionListener(connector));
            return connector;
        });
    }

    private ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
        ServerConnector connector = new ServerConnector(server, new GuardedConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptQueueSize(Math.max(ACCEPT_QUEUE, limits.maxConnections()));
        // The per-address cap first: Jetty calls accept listeners in the order they were added,
        // and the total cap then skips the connections it has closed.
        connector.addBean(new AddressLimit(limits.maxConnectionsPerAddress()));
        ConnectionLimit total = new CountingConnectionLimit(limits.maxConnections(), connector);
        total.setIdleTimeout(ClientLimits.IDLE_TIMEOUT_WHEN_FULL.toMillis());
        connector.addBean(total);
        connector.addBean(new HeaderSizeListener());
        connector.addBean(new DeadlineCheck(connector));
        return connector;
    }

    /**
     * Turns a failure while reading a request body into the {@code 408} answer for the limit that
     * caused it, counting a too-slow upload.
     *
     * @param request the request whose body was being read
     * @param failure what reading the body threw
     * @return the 408 to answer, or {@code null} when no limit of this guard caused the failure
     */
    ApiException uploadRefusal(HttpServletRequest request, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BadMessageException bad && bad.getCode() == HttpStatus.REQUEST_TIMEOUT_408) {
                // Jetty's minimum request data rate is the only 408 raised while a body is read.
                counts.increment(Rejection.SLOW_UPLOAD);
                return new ApiException(408, "upload too slow: the server's minimum is "
                        + limits.minUploadBytesPerSecond() + " bytes/s averaged over the body");
            }
            if (t instanceof TimeoutException) {
                if (deadlineExpired(request)) {
                    return new ApiException(408, "request not received within the server's deadline of "
                            + limits.requestDeadline().toMillis() + " ms");
                }
                return new ApiException(408, "no upload data received for the server's idle timeout of "
                        + limits.idleTimeout().toMillis() + " ms");
            }
        }
        return null;
    }

    private static boolean deadlineExpired(HttpServletRequest request) {
        Request base = Request.getBaseRequest(request);
        return base != null && base.getHttpChannel().getConnection() instanceof GuardedConnection guarded
                && guarded.deadlineExpired;
    }

    /** Creates {@link GuardedConnection}s, configured as Jetty's own factory configures its connections. */
    private final class GuardedConnectionFactory extends HttpConnectionFactory {

        GuardedConnectionFactory(HttpConfiguration http) {
            super(http);
        }

        @Override
        public Connection newConnection(Connector connector, EndPoint endPoint) {
            GuardedConnection connection = new GuardedConnection(getHttpConfiguration(), connector, endPoint,
                    isRecordHttpComplianceViolations());
            connection.setUseInputDirectByteBuffers(isUseInputDirectByteBuffers());
            connection.setUseOutputDirectByteBuffers(isUseOutputDirectByteBuffers());
            return configure(connection, connector, endPoint);
        }
    }

    /**
     * An HTTP/1.1 connection that can be held to the request deadline and that counts idle
     * timeouts ending a request or a connection that never sent one.
     */
    private final class GuardedConnection extends HttpConnection {

        /** Set once the request deadline ended this connection's request; read by the handler. */
        volatile boolean deadlineExpired;
        private volatile boolean idleCounted;

        GuardedConnection(HttpConfiguration config, Connector connector, EndPoint endPoint, boolean record) {
            super(config, connector, endPoint, record);
        }

        /**
         * Ends the request being received if it began more than the deadline ago.
         *
         * @param nowNanos the current {@link System#nanoTime()}
         */
        void checkDeadline(long nowNanos) {
            HttpParser parser = getParser();
            // Only while the server waits for bytes of a started request: not between requests,
            // and not while a fully read request is captioned.
            if (parser.isIdle() || !getEndPoint().isFillInterested()) {
                return;
            }
            long begin = getBeginNanoTime();
            if (begin == Long.MIN_VALUE || nowNanos - begin < limits.requestDeadline().toNanos()) {
                return;
            }
            if (!deadlineExpired) {
                deadlineExpired = true;
                counts.increment(Rejection.REQUEST_DEADLINE);
                LOG.debug("Request deadline of {} ms passed on {}", limits.requestDeadline().toMillis(),
                        getEndPoint().getRemoteSocketAddress());
            }
            if (parser.inHeaderState()) {
                // No request to answer yet: close, as Jetty does when headers time out.
                getEndPoint().close(new TimeoutException("request deadline of "
                        + limits.requestDeadline().toMillis() + " ms passed while receiving headers"));
            } else {
                // Jetty's idle-timeout path is what fails a blocked body read while keeping the
                // connection writable, so the handler can still answer 408.
                getEndPoint().setIdleTimeout(EXPIRE_NOW_MS);
            }
        }

        @Override
        public boolean onIdleExpired() {
            boolean waitingForBytes = getEndPoint().isFillInterested();
            boolean midRequest = !getParser().isIdle();
            boolean neverSentAByte = getBytesIn() == 0;
            if (waitingForBytes && (midRequest || neverSentAByte) && !deadlineExpired && !idleCounted) {
                idleCounted = true;
                counts.increment(Rejection.IDLE_TIMEOUT);
            }
            return super.onIdleExpired();
        }
    }

    /**
     * Jetty's total connection cap, counting each time it is reached, not counting connections the
     * per-address cap closed, and lowering the idle timeout also of connections opened while it is
     * reached (Jetty lowers it only for those open at the moment it is reached, so the rest of a
     * burst of connections would keep the normal one).
     */
    private final class CountingConnectionLimit extends ConnectionLimit {

        private volatile boolean full;

        CountingConnectionLimit(int maxConnections, Connector connector) {
            super(maxConnections, connector);
        }

        @Override
        public void onAccepting(SelectableChannel channel) {
            if (channel.isOpen()) {
                super.onAccepting(channel);
            }
        }

        @Override
        public void onOpened(Connection connection) {
            super.onOpened(connection);
            if (full) {
                connection.getEndPoint().setIdleTimeout(getIdleTimeout());
            }
        }

        @Override
        protected void limit() {
            full = true;
            counts.increment(Rejection.CONNECTION_LIMIT);
            super.limit();
        }

        @Override
        protected void unlimit() {
            full = false;
            super.unlimit();
        }
    }

    /**
     * Closes a connection when it is accepted if its client address already has the most
     * connections allowed; counts open connections per address until they close.
     */
    private final class AddressLimit implements SelectorManager.AcceptListener, Connection.Listener {

        private final int max;
        /** Open connections per client address; guarded by {@code this}. */
        private final Map<InetAddress, Integer> open = new HashMap<>();
        /** The client address of each counted channel, to release on close; guarded by {@code this}. */
        private final Map<Object, InetAddress> owners = new HashMap<>();

        AddressLimit(int max) {
            this.max = max;
        }

        @Override
        public void onAccepting(SelectableChannel channel) {
            InetAddress address = remoteAddress(channel);
            if (address == null) {
                return;
            }
            boolean refuse;
            synchronized (this) {
                int n = open.getOrDefault(address, 0);
                refuse = n >= max;
                if (!refuse) {
                    open.put(address, n + 1);
                    owners.put(channel, address);
                }
            }
            if (refuse) {
                counts.increment(Rejection.ADDRESS_LIMIT);
                LOG.debug("Refused a connection from {}: it has {} open", address, max);
                // Jetty then fails to register the closed channel and reports onAcceptFailed.
                IO.close(channel);
            }
        }

        @Override
        public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
            release(channel);
        }

        @Override
        public void onOpened(Connection connection) {
            // counted when accepted
        }

        @Override
        public void onClosed(Connection connection) {
            release(connection.getEndPoint().getTransport());
        }

        private synchronized void release(Object channel) {
            InetAddress address = owners.remove(channel);
            if (address != null) {
                open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
            }
        }

        private static InetAddress remoteAddress(SelectableChannel channel) {
            try {
                SocketAddress remote = channel instanceof SocketChannel socket ? socket.getRemoteAddress() : null;
                return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** Counts requests whose line and headers were too large for {@link ClientLimits#maxHeaderBytes()}. */
    private final class HeaderSizeListener implements HttpChannel.Listener {

        @Override
        public void onRequestFailure(Request request, Throwable failure) {
            if (failure instanceof BadMessageException bad
                    && (bad.getCode() == HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431
                            || bad.getCode() == HttpStatus.URI_TOO_LONG_414)) {
                counts.increment(Rejection.HEADER_TOO_LARGE);
            }
        }
    }

    /** Checks every connection against the request deadline, periodically, on Jetty's scheduler. */
    private final class DeadlineCheck extends AbstractLifeCycle {

        private final ServerConnector connector;
        private final long periodMs;
        private volatile Scheduler.Task next;

        DeadlineCheck(ServerConnector connector) {
            this.connector = connector;
            // A tenth of the deadline keeps enforcement within 10% of it, at most once a second.
            this.periodMs = Math.max(20, Math.min(1000, limits.requestDeadline().toMillis() / 10));
        }

        @Override
        protected void doStart() {
            schedule();
        }

        @Override
        protected void doStop() {
            Scheduler.Task task = next;
            if (task != null) {
                task.cancel();
            }
        }

        private void schedule() {
            if (isRunning() || isStarting()) {
                next = connector.getScheduler().schedule(this::run, periodMs, TimeUnit.MILLISECONDS);
            }
        }

        private void run() {
            try {
                long now = System.nanoTime();
                for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                    if (endPoint.getConnection() instanceof GuardedConnection connection) {
                        connection.checkDeadline(now);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("Request deadline check failed", e);
            } finally {
                schedule();
            }
        }
    }
}
