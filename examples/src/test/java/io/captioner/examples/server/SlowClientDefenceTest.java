package io.captioner.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Attacks real servers on loopback with slow clients (the slowloris attack of issue 21) and checks
 * that normal requests stay fast while the server closes the slow connections. Attackers connect
 * from 127.0.0.2-5, so that the per-address cap tells them from the normal client on 127.0.0.1, as
 * it tells different machines apart on a real network. Every test is bounded: at most 400
 * connections (about 800 file descriptors with the in-process server) and a {@link Timeout}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SlowClientDefenceTest {

    private static final List<InetAddress> ATTACKERS = List.of(
            address("127.0.0.2"), address("127.0.0.3"), address("127.0.0.4"), address("127.0.0.5"));
    private static final int ATTACK = 400;
    private static final byte[] PNG = TestImages.encoded("png", 16, 12);

    private final List<CaptionServer> servers = new ArrayList<>();

    @BeforeAll
    static void attackerAddressesExist() {
        for (InetAddress a : ATTACKERS) {
            assumeTrue(SlowClients.canBind(a), "this system cannot open connections from " + a.getHostAddress()
                    + " (Linux routes all of 127.0.0.0/8 to loopback; others need an alias): skipped");
        }
    }

    @AfterEach
    void stopServers() {
        servers.forEach(CaptionServer::stop);
    }

    private CaptionServer start(Consumer<CaptionServer.Builder> options) {
        CaptionServer.Builder b = CaptionServer.builder()
                .setCaptioner(new SizeCaptioner(Duration.ZERO))
                .setModelName("slowloris-test")
                .optPort(0)
                .optShutdownGrace(Duration.ofSeconds(1));
        options.accept(b);
        CaptionServer server = b.build();
        servers.add(server);
        return server.start();
    }

    private static SlowClients attack(CaptionServer server, SlowClients.Mode mode, int count,
            List<InetAddress> from) {
        return SlowClients.builder().setTarget(server.uri()).setCount(count).optMode(mode).optSources(from)
                .build().start();
    }

    @Test
    void slowUploadsAreClosedWhileNormalRequestsStayFast() throws Exception {
        CaptionServer server = start(b -> { });

        try (SlowClients slow = attack(server, SlowClients.Mode.BODY, ATTACK, ATTACKERS)) {
            List<Probe> probes = probeWhileOpen(server, slow, Duration.ofSeconds(30));

            assertAllFast(probes);
            assertThat(slow.open()).as("all slow uploads closed: %s", slow).isZero();
            assertThat(slow.closedByServer()).isEqualTo(ATTACK);
            RejectionCounts counts = server.rejections();
            assertThat(counts.get(Rejection.ADDRESS_LIMIT)).as(counts.toString())
                    .isPositive().isLessThanOrEqualTo(ATTACK - ATTACKERS.size() * 32L);
            assertThat(counts.get(Rejection.ADDRESS_LIMIT) + counts.get(Rejection.SLOW_UPLOAD))
                    .as("each slow upload refused at accept or ended by the minimum rate: " + counts)
                    .isEqualTo(ATTACK);
            assertThat(slow.statuses()).as("slow uploads still reading get 408").containsKey(408);
            assertThat(counts.get(Rejection.CONNECTION_LIMIT)).as("refused connections never fill the total cap")
                    .isZero();
        }
    }

    @Test
    void headersSentByteByByteAreClosedAtTheDeadlineWhileNormalRequestsStayFast() throws Exception {
        CaptionServer server = start(b -> b.optRequestDeadline(Duration.ofSeconds(3)));

        try (SlowClients slow = attack(server, SlowClients.Mode.HEADERS, ATTACK, ATTACKERS)) {
            List<Probe> probes = probeWhileOpen(server, slow, Duration.ofSeconds(30));

            assertAllFast(probes);
            assertThat(slow.open()).as("all slow headers closed: %s", slow).isZero();
            assertThat(slow.closedByServer()).isEqualTo(ATTACK);
            RejectionCounts counts = server.rejections();
            assertThat(counts.get(Rejection.REQUEST_DEADLINE)).as(counts.toString()).isPositive();
            assertThat(counts.get(Rejection.ADDRESS_LIMIT) + counts.get(Rejection.REQUEST_DEADLINE))
                    .as("each refused at accept or ended by the deadline: " + counts).isEqualTo(ATTACK);
            assertThat(slow.statuses()).as("no request to answer while headers arrive").isEmpty();
        }
    }

    @Test
    void silentConnectionsAreClosedAfterTheIdleTimeoutWhileNormalRequestsStayFast() throws Exception {
        CaptionServer server = start(b -> b.optIdleTimeout(Duration.ofSeconds(2)));

        try (SlowClients slow = attack(server, SlowClients.Mode.SILENT, ATTACK, ATTACKERS)) {
            List<Probe> probes = probeWhileOpen(server, slow, Duration.ofSeconds(30));

            assertAllFast(probes);
            assertThat(slow.open()).as("all silent connections closed: %s", slow).isZero();
            assertThat(slow.closedByServer()).isEqualTo(ATTACK);
            RejectionCounts counts = server.rejections();
            assertThat(counts.get(Rejection.IDLE_TIMEOUT)).as(counts.toString()).isPositive();
            assertThat(counts.get(Rejection.ADDRESS_LIMIT) + counts.get(Rejection.IDLE_TIMEOUT))
                    .as("each refused at accept or ended by the idle timeout: " + counts).isEqualTo(ATTACK);
        }
    }

    @Test
    void reachingTheConnectionCapClosesIdleConnectionsWithinSeconds() throws Exception {
        CaptionServer server = start(b -> b.optMaxConnections(50).optMaxConnectionsPerAddress(40)
                .optIdleTimeout(Duration.ofSeconds(6)));
        long t0 = System.nanoTime();

        try (SlowClients slow = attack(server, SlowClients.Mode.SILENT, 80, ATTACKERS.subList(0, 2))) {
            awaitTrue(() -> slow.closedByServer() >= 49, Duration.ofSeconds(20));
            double seconds = (System.nanoTime() - t0) / 1e9;

            assertThat(seconds).as("closed by the 1 s idle timeout of a full server, not the 6 s one: %s", slow)
                    .isLessThan(4.5);
            assertThat(server.rejections().get(Rejection.CONNECTION_LIMIT)).isPositive();
            awaitTrue(() -> slow.open() == 0, Duration.ofSeconds(30));
            assertThat(slow.closedByServer()).isEqualTo(80);
            assertThat(probe(server.uri()).status()).isEqualTo(200);
        }
    }

    @Test
    void connectionsOverThePerAddressCapAreClosedAtOnceAndOtherAddressesAreServed() throws Exception {
        CaptionServer server = start(b -> b.optMaxConnectionsPerAddress(2));

        try (SlowClients slow = attack(server, SlowClients.Mode.SILENT, 3, ATTACKERS.subList(0, 1))) {
            awaitTrue(() -> slow.opened() == 3 && slow.closedByServer() == 1, Duration.ofSeconds(10));

            assertThat(slow.open()).isEqualTo(2);
            assertThat(server.rejections().get(Rejection.ADDRESS_LIMIT)).isEqualTo(1);
            assertThat(probe(server.uri()).status()).as("127.0.0.1 has its own quota").isEqualTo(200);
        }
    }

    @Test
    void uploadStillArrivingAtTheDeadlineIs408NamingTheDeadline() throws Exception {
        CaptionServer server = start(b -> b.optRequestDeadline(Duration.ofSeconds(2)).optMinUploadRate(0));

        String response = slowUpload(server.uri(), 6, Duration.ofMillis(500));

        assertThat(response).startsWith("HTTP/1.1 408").contains("\"status\":408")
                .contains("not received within the server's deadline of 2000 ms");
        assertThat(server.rejections().get(Rejection.REQUEST_DEADLINE)).isEqualTo(1);
        assertThat(server.rejections().get(Rejection.SLOW_UPLOAD)).isZero();
    }

    @Test
    void uploadSlowerThanTheMinimumRateIs408NamingTheRate() throws Exception {
        CaptionServer server = start(b -> b.optMinUploadRate(1024));

        String response = slowUpload(server.uri(), 4, Duration.ofMillis(700));

        assertThat(response).startsWith("HTTP/1.1 408").contains("minimum is 1024 bytes/s");
        assertThat(server.rejections().get(Rejection.SLOW_UPLOAD)).isEqualTo(1);
    }

    @Test
    void uploadThatStopsIs408AfterTheIdleTimeout() throws Exception {
        CaptionServer server = start(b -> b.optIdleTimeout(Duration.ofSeconds(1)));

        String response = slowUpload(server.uri(), 0, Duration.ZERO);

        assertThat(response).startsWith("HTTP/1.1 408").contains("idle timeout of 1000 ms");
        assertThat(server.rejections().get(Rejection.IDLE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void slowUploadHoldsNoCaptioningWorker() throws Exception {
        CaptionServer server = start(b -> b.optWorkers(1));
        TestClient client = new TestClient(server.uri());

        try (SlowClients slow = attack(server, SlowClients.Mode.BODY, 1, List.of(InetAddress.getLoopbackAddress()))) {
            awaitTrue(() -> slow.open() == 1, Duration.ofSeconds(5));
            // Past the first body byte (sent after 1 s): Jetty has dispatched the request, whose
            // handler now waits for the body.
            Thread.sleep(1300);
            assertThat(slow.open()).as("still uploading").isEqualTo(1);

            JsonObject health = TestClient.json(client.get("/health"));
            assertThat(health.get("busy_workers").getAsInt()).isZero();
            assertThat(client.postImage("", "a.png", "image/png", PNG).statusCode())
                    .as("the only worker is free").isEqualTo(200);
        }
    }

    @Test
    void headersOverTheLimitAre431() throws Exception {
        CaptionServer server = start(b -> b.optMaxHeaderBytes(1024));
        String request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + "a".repeat(2000)
                + "\r\nConnection: close\r\n\r\n";

        assertThat(exchange(server.uri(), request.getBytes(StandardCharsets.US_ASCII)).status()).isEqualTo(431);
        assertThat(server.rejections().get(Rejection.HEADER_TOO_LARGE)).isEqualTo(1);
        assertThat(probe(server.uri()).status()).isEqualTo(200);
    }

    /** A normal request's status (-1 if the connection failed) and latency. */
    private record Probe(int status, double millis) {}

    /**
     * Sends a normal caption request every 100 ms, each on a new connection, from the moment every
     * slow client has connected until none is open or {@code max} has passed.
     */
    private static List<Probe> probeWhileOpen(CaptionServer server, SlowClients slow, Duration max)
            throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        List<Probe> probes = new ArrayList<>();
        boolean attacking = false;
        while (System.nanoTime() < end) {
            attacking = attacking || slow.opened() + slow.connectFailures() >= ATTACK;
            if (attacking && slow.open() == 0) {
                break;
            }
            probes.add(probe(server.uri()));
            Thread.sleep(100);
        }
        return probes;
    }

    private static void assertAllFast(List<Probe> probes) {
        assertThat(probes).as("normal requests were sent during the attack").hasSizeGreaterThan(5);
        assertThat(probes).as("every normal request answered 200 in under 1 s").allSatisfy(p -> {
            assertThat(p.status()).isEqualTo(200);
            assertThat(p.millis()).isLessThan(1000.0);
        });
    }

    /** One caption request on a new connection, byte for byte as curl sends it with Connection: close. */
    private static Probe probe(URI base) {
        Multipart body = new Multipart().file("image", "a.png", "image/png", PNG);
        byte[] content = body.bytes();
        String head = "POST /caption HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nAccept: application/json\r\nContent-Type: " + body.contentType()
                + "\r\nContent-Length: " + content.length + "\r\nConnection: close\r\n\r\n";
        byte[] request = new byte[head.length() + content.length];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, request, 0, head.length());
        System.arraycopy(content, 0, request, head.length(), content.length);
        return exchange(base, request);
    }

    /**
     * Sends the headers of a 100 kB upload and 20 body bytes, then {@code laterBytes} more bytes
     * one every {@code pause} (or until the server stops reading), and returns all it answers.
     */
    private static String slowUpload(URI base, int laterBytes, Duration pause) throws Exception {
        String head = "POST /caption HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nContent-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 102400\r\n\r\n"
                + "--xyz\r\nContent-Dispo";
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                for (int i = 0; i < laterBytes; i++) {
                    Thread.sleep(pause.toMillis());
                    out.write('s');
                    out.flush();
                }
            } catch (IOException serverStoppedReading) {
                // the answer is already on its way
            }
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static Probe exchange(URI base, byte[] request) {
        long t0 = System.nanoTime();
        int status = -1;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (response.startsWith("HTTP/1.1 ")) {
                status = Integer.parseInt(response.substring(9, 12));
            }
        } catch (IOException e) {
            status = -1;
        }
        return new Probe(status, (System.nanoTime() - t0) / 1e6);
    }

    private static void awaitTrue(BooleanSupplier condition, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached within " + max);
            }
            Thread.sleep(20);
        }
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
