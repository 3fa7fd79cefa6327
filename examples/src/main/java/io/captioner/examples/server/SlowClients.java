package io.captioner.examples.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds many slow connections open against a caption server on this machine, as a slowloris
 * attacker does, to test and measure the server's {@link ClientLimits}: the attack is
 * {@link Mode#BODY} with 400 connections.
 *
 * <p>Loopback only: the target and every source address must be loopback addresses. Sources
 * other than {@code 127.0.0.1} (e.g. {@code 127.0.0.2}) let the connections come from other
 * client addresses than the normal requests, as an attacker's would; Linux routes all of
 * {@code 127.0.0.0/8} to loopback, other systems may not ({@link #canBind(InetAddress)}).
 * Connections are spread over the sources in turn.
 *
 * <p>One daemon thread drives every connection with non-blocking sockets, so the count costs file
 * descriptors (one per connection, and one on the server side), not threads. A connection the
 * server closes is noticed within about {@value #TICK_MS} ms; with {@code reopen} it is opened
 * again a second later, keeping the count up as a persistent attacker would. {@link #close()}
 * stops the thread and closes everything. Counters are thread-safe.
 */
public final class SlowClients implements AutoCloseable {

    /** What each connection sends. */
    public enum Mode {
        /** The headers of a 100 kB multipart upload at once, then one body byte per second. */
        BODY,
        /** The same headers one byte per second. */
        HEADERS,
        /** Nothing at all. */
        SILENT
    }

    /** Declared body size of the slow uploads. */
    public static final int DECLARED_BODY_BYTES = 100 * 1024;
    private static final long TICK_MS = 50;
    private static final long BYTE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long REOPEN_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int MAX_COUNT = 4096;
    private static final String BOUNDARY = "----captioner-slow-client";

    private final InetSocketAddress target;
    private final Mode mode;
    private final boolean reopen;
    private final byte[] headers;
    private final byte[] bodyStart;
    private final List<Slot> slots = new ArrayList<>();
    private final Thread driver;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong closedByServer = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final Map<Integer, Long> statuses = new TreeMap<>();
    private volatile boolean running = true;

    private SlowClients(Builder b) {
        this.target = new InetSocketAddress(b.target.getHost(), b.target.getPort());
        this.mode = b.mode;
        this.reopen = b.reopen;
        StringBuilder h = new StringBuilder()
                .append("POST /caption HTTP/1.1\r\n")
                .append("Host: ").append(b.target.getHost()).append(':').append(b.target.getPort()).append("\r\n")
                .append("User-Agent: captioner-slow-client\r\n")
                .append("Accept: application/json\r\n");
        if (b.token != null) {
            h.append("Authorization: Bearer ").append(b.token).append("\r\n");
        }
        h.append("Content-Type: multipart/form-data; boundary=").append(BOUNDARY).append("\r\n")
                .append("Content-Length: ").append(DECLARED_BODY_BYTES).append("\r\n\r\n");
        this.headers = h.toString().getBytes(StandardCharsets.US_ASCII);
        this.bodyStart = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; "
                + "filename=\"slow.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < b.count; i++) {
            slots.add(new Slot(b.sources.get(i % b.sources.size())));
        }
        this.driver = new Thread(this::drive, "slow-clients");
        this.driver.setDaemon(true);
    }

    /**
     * Creates a builder; {@code setTarget} and {@code setCount} are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Tells whether this machine can open connections from a loopback address, e.g.
     * {@code 127.0.0.2} (Linux can; macOS only after adding an alias).
     *
     * @param source the source address to try
     * @return true if a socket could be bound to it
     */
    public static boolean canBind(InetAddress source) {
        try (SocketChannel probe = SocketChannel.open()) {
            probe.bind(new InetSocketAddress(source, 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts connecting every client in the background.
     *
     * @return this
     * @throws IllegalStateException if already started
     */
    public SlowClients start() {
        if (driver.getState() != Thread.State.NEW) {
            throw new IllegalStateException("SlowClients.start() was already called");
        }
        driver.start();
        return this;
    }

    /**
     * Returns the connections open now (connected and not yet closed by the server).
     *
     * @return 0 or more
     */
    public int open() {
        return open.get();
    }

    /**
     * Returns how many connections were opened, reopened ones included.
     *
     * @return 0 or more
     */
    public long opened() {
        return opened.get();
    }

    /**
     * Returns how many connections the server closed (end of stream or reset).
     *
     * @return 0 or more
     */
    public long closedByServer() {
        return closedByServer.get();
    }

    /**
     * Returns how many connection attempts failed (refused or timed out).
     *
     * @return 0 or more
     */
    public long connectFailures() {
        return connectFailures.get();
    }

    /**
     * Returns the HTTP status codes the server answered on these connections before closing them,
     * e.g. 408, with how often each came.
     *
     * @return a copy, sorted by status
     */
    public Map<Integer, Long> statuses() {
        synchronized (statuses) {
            return new TreeMap<>(statuses);
        }
    }

    /** Stops sending, closes every connection and waits for the driving thread to end. */
    @Override
    public void close() {
        running = false;
        if (driver.getState() == Thread.State.NEW) {
            return;
        }
        try {
            driver.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "SlowClients[" + mode + " x" + slots.size() + ": open=" + open() + ", opened=" + opened()
                + ", closedByServer=" + closedByServer() + ", connectFailures=" + connectFailures()
                + ", statuses=" + statuses() + "]";
    }

    private void drive() {
        try {
            while (running) {
                long now = System.nanoTime();
                for (Slot slot : slots) {
                    slot.step(now);
                }
                Thread.sleep(TICK_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (Slot slot : slots) {
                slot.shut();
            }
        }
    }

    /** One connection and its progress through what it sends; used by the driving thread only. */
    private final class Slot {
        private final InetAddress source;
        private final ByteBuffer readBuffer = ByteBuffer.allocate(64);
        private SocketChannel channel;
        private boolean connected;
        private boolean statusSeen;
        private int sent;
        private long nextSendNanos;
        private long reopenNanos;
        private boolean done;

        Slot(InetAddress source) {
            this.source = source;
        }

        void step(long now) {
            if (channel == null) {
                if (!done && now >= reopenNanos) {
                    connect(now);
                }
                return;
            }
            try {
                if (!connected) {
                    if (!channel.finishConnect()) {
                        return;
                    }
                    connected = true;
                    open.incrementAndGet();
                    opened.incrementAndGet();
                    if (mode == Mode.BODY) {
                        write(headers);
                    }
                    nextSendNanos = now + BYTE_INTERVAL_NANOS;
                }
                if (readUntilClosed()) {
                    lost(now, true);
                    return;
                }
                if (now >= nextSendNanos) {
                    nextSendNanos += BYTE_INTERVAL_NANOS;
                    sendNextByte();
                }
            } catch (IOException e) {
                if (!connected) {
                    connectFailures.incrementAndGet();
                }
                lost(now, true);
            }
        }

        private void connect(long now) {
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.bind(new InetSocketAddress(source, 0));
                connected = false;
                statusSeen = false;
                sent = 0;
                channel.connect(target);
            } catch (IOException e) {
                connectFailures.incrementAndGet();
                lost(now, false);
            }
        }

        private void sendNextByte() throws IOException {
            byte[] script = switch (mode) {
                case BODY -> bodyStart;
                case HEADERS -> headers;
                case SILENT -> null;
            };
            if (script == null) {
                return;
            }
            // After the multipart preamble the body is filler; headers are never finished.
            byte next = sent < script.length ? script[sent] : (byte) 'x';
            if (mode == Mode.HEADERS && sent >= script.length - 1) {
                return;
            }
            sent++;
            write(new byte[] {next});
        }

        private void write(byte[] bytes) throws IOException {
            // Small writes to a fresh socket buffer complete at once; a short write means the
            // server stopped reading, which the next read will show.
            channel.write(ByteBuffer.wrap(bytes));
        }

        /** Reads what the server sent; true if it closed the connection. */
        private boolean readUntilClosed() throws IOException {
            while (true) {
                readBuffer.clear();
                int n = channel.read(readBuffer);
                if (n < 0) {
                    return true;
                }
                if (n == 0) {
                    return false;
                }
                if (!statusSeen) {
                    statusSeen = true;
                    recordStatus(new String(readBuffer.array(), 0, n, StandardCharsets.US_ASCII));
                }
            }
        }

        private void recordStatus(String start) {
            // "HTTP/1.1 408 Request Timeout"
            if (start.startsWith("HTTP/") && start.length() >= 12) {
                try {
                    int status = Integer.parseInt(start.substring(9, 12));
                    synchronized (statuses) {
                        statuses.merge(status, 1L, Long::sum);
                    }
                } catch (NumberFormatException e) {
                    // not a status line: nothing to record
                }
            }
        }

        private void lost(long now, boolean byServer) {
            if (connected && byServer) {
                closedByServer.incrementAndGet();
            }
            shut();
            done = !reopen;
            reopenNanos = now + REOPEN_DELAY_NANOS;
        }

        void shut() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // closing our own end: nothing to do
                }
                if (connected) {
                    open.decrementAndGet();
                }
                channel = null;
                connected = false;
            }
        }
    }

    /**
     * Builds {@link SlowClients}; {@code setTarget} and {@code setCount} are required, order does
     * not matter, and {@link #build()} validates.
     */
    public static final class Builder {
        private URI target;
        private int count = -1;
        private Mode mode = Mode.BODY;
        private List<InetAddress> sources = List.of(InetAddress.getLoopbackAddress());
        private boolean reopen;
        private String token;

        private Builder() {}

        /**
         * Sets the server, e.g. {@link CaptionServer#uri()}.
         *
         * @param value an {@code http} URI on a loopback address, with its port
         * @return this builder
         */
        public Builder setTarget(URI value) {
            this.target = value;
            return this;
        }

        /**
         * Sets how many connections to hold.
         *
         * @param value 1 to 4096; mind the file-descriptor limit ({@code ulimit -n}), two per
         *     connection when the server runs in the same process
         * @return this builder
         */
        public Builder setCount(int value) {
            this.count = value;
            return this;
        }

        /**
         * Sets what each connection sends.
         *
         * @param value the mode; default {@link Mode#BODY}
         * @return this builder
         */
        public Builder optMode(Mode value) {
            this.mode = value;
            return this;
        }

        /**
         * Sets the addresses the connections come from, used in turn.
         *
         * @param value loopback addresses; default {@code 127.0.0.1}
         * @return this builder
         */
        public Builder optSources(List<InetAddress> value) {
            this.sources = value == null ? null : List.copyOf(value);
            return this;
        }

        /**
         * Sets whether a connection the server closes is opened again a second later.
         *
         * @param value true to keep the count up; default false
         * @return this builder
         */
        public Builder optReopen(boolean value) {
            this.reopen = value;
            return this;
        }

        /**
         * Sets a bearer token to send, so that a server requiring one reads the slow body.
         *
         * @param value the token, or {@code null} for none
         * @return this builder
         */
        public Builder optToken(String value) {
            this.token = value;
            return this;
        }

        /**
         * Validates the settings and creates the clients, not yet connected.
         *
         * @return the clients; {@link SlowClients#start()} connects them
         * @throws IllegalArgumentException naming the first invalid setting and its value
         */
        public SlowClients build() {
            Objects.requireNonNull(target, "target is required: call setTarget");
            if (!"http".equals(target.getScheme()) || target.getPort() < 1) {
                throw new IllegalArgumentException("target must be http://host:port, found " + target);
            }
            if (!isLoopback(target.getHost())) {
                throw new IllegalArgumentException("target must be on this machine (loopback), found " + target);
            }
            if (count < 1 || count > MAX_COUNT) {
                throw new IllegalArgumentException("count must be from 1 to " + MAX_COUNT + ", found " + count);
            }
            Objects.requireNonNull(mode, "mode");
            if (sources == null || sources.isEmpty()) {
                throw new IllegalArgumentException("sources must name at least one loopback address, found "
                        + sources);
            }
            for (InetAddress source : sources) {
                if (!source.isLoopbackAddress()) {
                    throw new IllegalArgumentException("sources must be loopback addresses, found " + source);
                }
            }
            return new SlowClients(this);
        }

        private static boolean isLoopback(String host) {
            try {
                return host != null && InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }
}
