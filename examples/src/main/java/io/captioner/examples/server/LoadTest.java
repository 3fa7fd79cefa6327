package io.captioner.examples.server;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures caption servers' throughput (requests/s) and latency (p50, p99, max) at one or more
 * concurrency levels, sending the same multipart upload as the documented curl call, optionally
 * while slow clients attack them.
 *
 * <p>Run: {@code java -cp examples/target/captioner.jar io.captioner.examples.server.LoadTest
 * --url http://127.0.0.1:8080 --image photo.jpg --concurrency 1,8 --requests 200}. Each level
 * first sends {@code --warmup} requests one by one (not measured), then {@code --requests}
 * requests from {@code c} threads, stopping early after {@code --max-seconds}. Only loopback
 * servers are accepted. Exit codes: 0 done, 1 a request failed to connect, 2 bad arguments.
 *
 * <p>Several servers ({@code --url A,B}), for example the same model served batched and with
 * {@code --max-batch 1}, are measured in one run: each concurrency level runs against every
 * server in turn, so that both see the same state of the machine. Each row names its server by
 * its port and the batching it reports on {@code /health}.
 *
 * <p>Under attack: {@code --slow-clients 0,100,400} repeats every concurrency level with that many
 * {@link SlowClients} held open ({@code --slow-mode body}: the headers of a 100 kB upload, then a
 * byte per second; reopened a second after the server closes one), coming from the
 * {@code --slow-from} loopback addresses so that the server's per-address cap sees them as other
 * clients than the measured requests. Measuring starts {@value #SLOW_SETTLE_SECONDS} s after the
 * slow clients, once the server has refused or closed the first of them.
 */
@Command(name = "LoadTest", mixinStandardHelpOptions = true,
        description = "Load-tests POST /caption on a loopback caption server; prints requests/s and latency.")
public final class LoadTest implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", split = ",", paramLabel = "URL",
            description = "Base URLs of running servers, comma-separated, loopback only; every level is measured "
                    + "on each in turn (default: ${DEFAULT-VALUE}).")
    private URI[] urls;

    @Option(names = "--image", paramLabel = "FILE",
            description = "Image to upload (default: a generated 320x240 JPEG).")
    private Path image;

    @Option(names = "--concurrency", defaultValue = "1,8", split = ",", paramLabel = "C",
            description = "Concurrency levels, comma-separated (default: ${DEFAULT-VALUE}).")
    private int[] concurrency;

    @Option(names = "--requests", defaultValue = "200", paramLabel = "N",
            description = "Measured requests per level (default: ${DEFAULT-VALUE}).")
    private int requests;

    @Option(names = "--warmup", defaultValue = "20", paramLabel = "N",
            description = "Unmeasured requests before each level (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--max-seconds", defaultValue = "60", paramLabel = "S",
            description = "Time limit per level; stops early when reached (default: ${DEFAULT-VALUE}).")
    private double maxSeconds;

    @Option(names = "--query", defaultValue = "", paramLabel = "Q",
            description = "Query string of each request, e.g. beam=3 (default: none).")
    private String query;

    @Option(names = "--token", paramLabel = "T", description = "Bearer token, if the server requires one.")
    private String token;

    @Option(names = "--slow-clients", defaultValue = "0", split = ",", paramLabel = "N",
            description = "Slow connections held open while measuring, one run of every concurrency level per "
                    + "value, comma-separated, 0-4096 (default: ${DEFAULT-VALUE}).")
    private int[] slowClients;

    @Option(names = "--slow-mode", defaultValue = "body", paramLabel = "MODE",
            converter = SlowModeConverter.class,
            description = "What each slow connection sends: body (headers of a 100 kB upload, then 1 byte/s), "
                    + "headers (1 header byte/s) or silent (nothing) (default: ${DEFAULT-VALUE}).")
    private SlowClients.Mode slowMode;

    @Option(names = "--slow-from", defaultValue = "127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5", split = ",",
            paramLabel = "ADDR", description = "Loopback addresses the slow connections come from, in turn "
                    + "(default: ${DEFAULT-VALUE}).")
    private InetAddress[] slowFrom;

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    /** Seconds between starting the slow clients and measuring. */
    static final int SLOW_SETTLE_SECONDS = 3;

    /**
     * Runs the load test and exits with its exit code.
     *
     * @param args the command line; {@code --help} lists the options
     */
    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new LoadTest());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return 1;
        });
        System.exit(cli.execute(args));
    }

    /** Results of one concurrency level. */
    record Level(int concurrency, int sent, int ok, int errors, double seconds, double[] latenciesMs) {

        double requestsPerSecond() {
            return ok / seconds;
        }

        double percentile(double p) {
            if (latenciesMs.length == 0) {
                return Double.NaN;
            }
            double[] sorted = latenciesMs.clone();
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (requests < 1 || warmup < 0 || maxSeconds <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--requests must be >= 1, --warmup >= 0 and --max-seconds > 0; found " + requests + ", "
                            + warmup + ", " + maxSeconds);
        }
        for (int c : concurrency) {
            if (c < 1 || c > 256) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--concurrency levels must be from 1 to 256, found " + c);
            }
        }
        for (int n : slowClients) {
            if (n < 0 || n > 4096) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--slow-clients values must be from 0 to 4096, found " + n);
            }
        }
        if (Arrays.stream(slowClients).anyMatch(n -> n > 0)) {
            for (InetAddress source : slowFrom) {
                if (!source.isLoopbackAddress() || !SlowClients.canBind(source)) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--slow-from: cannot open connections from " + source.getHostAddress()
                                    + " on this machine; use loopback addresses this system has (Linux has all of "
                                    + "127.0.0.0/8; elsewhere add an alias, or pass 127.0.0.1 and mind the "
                                    + "server's per-address cap)");
                }
            }
        }
        byte[] bytes = image != null ? Files.readAllBytes(image) : generatedJpeg();
        String fileName = image != null ? image.getFileName().toString() : "generated-320x240.jpg";
        String type = fileName.toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png" : "image/jpeg";

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<Server> servers = new ArrayList<>();
        for (URI u : urls) {
            requireLoopback(u);
            Server server = describe(http, u);
            servers.add(server);
            out.printf(Locale.ROOT, "POST %s/caption%s, image %s (%d bytes), model: %s, %s%n", u,
                    query.isEmpty() ? "" : "?" + query, fileName, bytes.length, server.model(), server.batching());
        }
        out.printf(Locale.ROOT, "%-5s %-11s %8s %6s %6s %8s %8s %8s %8s %8s  %s%n", "slow", "concurrency",
                "requests", "ok", "errors", "seconds", "req/s", "p50 ms", "p99 ms", "max ms", "server");
        for (int slow : slowClients) {
            if (slow == 0) {
                for (int c : concurrency) {
                    for (Server server : servers) {
                        print(out, slow, server, run(http, server.url(), bytes, fileName, type, c));
                    }
                }
                continue;
            }
            for (Server server : servers) {
                SlowClients attackers = SlowClients.builder().setTarget(server.url()).setCount(slow)
                        .optMode(slowMode).optSources(List.of(slowFrom)).optReopen(true).optToken(token).build()
                        .start();
                try {
                    Thread.sleep(SLOW_SETTLE_SECONDS * 1000L);
                    for (int c : concurrency) {
                        print(out, slow, server, run(http, server.url(), bytes, fileName, type, c));
                    }
                } finally {
                    attackers.close();
                    out.printf(Locale.ROOT, "      slow clients (%s): %d connections opened, %d closed by the "
                                    + "server, answers %s, %d connects failed%n", slowMode.name().toLowerCase(Locale.ROOT),
                            attackers.opened(), attackers.closedByServer(), attackers.statuses(),
                            attackers.connectFailures());
                    out.flush();
                }
            }
        }
        return 0;
    }

    /** A server under test and how it batches, as its {@code /health} reports. */
    record Server(URI url, String model, String batching) {}

    private static void print(PrintWriter out, int slow, Server server, Level level) {
        out.printf(Locale.ROOT, "%-5d %-11d %8d %6d %6d %8.2f %8.1f %8.2f %8.2f %8.2f  %s%n", slow,
                level.concurrency(), level.sent(), level.ok(), level.errors(), level.seconds(),
                level.requestsPerSecond(), level.percentile(50), level.percentile(99), level.percentile(100),
                ":" + server.url().getPort() + " " + server.batching());
        out.flush();
    }

    /** Reads {@code --slow-mode} case-insensitively. */
    static final class SlowModeConverter implements CommandLine.ITypeConverter<SlowClients.Mode> {
        @Override
        public SlowClients.Mode convert(String value) {
            return SlowClients.Mode.valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    private Level run(HttpClient http, URI url, byte[] bytes, String fileName, String type, int threads)
            throws InterruptedException {
        for (int i = 0; i < warmup; i++) {
            send(http, url, bytes, fileName, type);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong firstError = new AtomicLong(-1);
        List<String> errorSamples = new ArrayList<>();
        double[] latencies = new double[requests];
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        CountDownLatch done = new CountDownLatch(threads);
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    int i;
                    while ((i = next.getAndIncrement()) < requests && System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        HttpResponse<String> response = send(http, url, bytes, fileName, type);
                        latencies[i] = (System.nanoTime() - t0) / 1e6;
                        if (response.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                            if (firstError.compareAndSet(-1, i)) {
                                synchronized (errorSamples) {
                                    errorSamples.add(response.statusCode() + " " + response.body());
                                }
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + t);
            worker.setDaemon(true);
            worker.start();
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        int sent = Math.min(next.get(), requests);
        if (!errorSamples.isEmpty()) {
            spec.commandLine().getErr().println("first error at concurrency " + threads + ": " + errorSamples.get(0));
        }
        return new Level(threads, sent, ok.get(), errors.get(), seconds, Arrays.copyOf(latencies, sent));
    }

    private HttpResponse<String> send(HttpClient http, URI url, byte[] bytes, String fileName, String type) {
        String boundary = "----captioner-load-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(bytes.length + 256);
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\""
                + fileName + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve("/caption" + (query.isEmpty() ? "" : "?"
                        + query)))
                .timeout(Duration.ofSeconds(120))
                .header("accept", "application/json")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Server describe(HttpClient http, URI url) throws IOException, InterruptedException {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(url.resolve("/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() != 200) {
            throw new IOException(url + "/health answered " + health.statusCode() + ": " + health.body());
        }
        JsonObject json = JsonParser.parseString(health.body()).getAsJsonObject();
        String batching = json.has("max_batch")
                ? String.format(Locale.ROOT, "max-batch %d, window %s ms, %d worker(s)",
                        json.get("max_batch").getAsInt(), json.get("batch_window_ms").getAsBigDecimal()
                                .stripTrailingZeros().toPlainString(), json.get("workers").getAsInt())
                : json.get("workers").getAsInt() + " worker(s)";
        return new Server(url, json.get("model").getAsString(), batching);
    }

    private void requireLoopback(URI target) {
        String host = target.getHost();
        boolean loopback;
        try {
            loopback = host != null && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--url must point at this machine (loopback), found " + target);
        }
    }

    /** A 320x240 JPEG with a gradient and shapes, about the size of a small web photo. */
    private static byte[] generatedJpeg() throws IOException {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(30, 90, 160), 320, 240, new Color(220, 200, 120)));
        g.fillRect(0, 0, 320, 240);
        g.setColor(new Color(200, 60, 40));
        g.fillOval(90, 60, 140, 120);
        g.setColor(Color.DARK_GRAY);
        g.fillRect(20, 180, 280, 30);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }
}
