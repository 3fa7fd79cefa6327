package io.captioner.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.Caption;
import io.captioner.Captioner;
import io.captioner.DecodingOptions;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.examples.server.CaptionServer;
import io.captioner.examples.server.ClientLimits;
import io.captioner.examples.server.TestClient;
import io.captioner.examples.server.TestImages;
import java.awt.image.BufferedImage;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {

    private Function<Path, Captioner> savedLoader;
    private Supplier<Optional<Path>> savedDefault;
    private Consumer<CaptionServer> savedOnStarted;

    @BeforeEach
    void saveSeams() {
        savedLoader = ServeCommand.loader;
        savedDefault = ServeCommand.defaultModel;
        savedOnStarted = ServeCommand.onStarted;
    }

    @AfterEach
    void restoreSeams() {
        ServeCommand.loader = savedLoader;
        ServeCommand.defaultModel = savedDefault;
        ServeCommand.onStarted = savedOnStarted;
    }

    @Test
    void withoutModelAndWithoutQuickstartModelExitsOneSayingSo() {
        ServeCommand.defaultModel = Optional::empty;
        CliRun run = CliRun.of("serve", "--port", "0");

        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_RUNTIME);
        assertThat(run.err()).contains("no --model given").contains("--model FILE");
    }

    @Test
    void missingModelFileExitsOneNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.captioner");
        CliRun run = CliRun.of("serve", "--model", missing.toString(), "--port", "0");

        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_RUNTIME);
        assertThat(run.err()).contains(missing.toString()).contains("no such file");
    }

    @Test
    void fileThatIsNoModelExitsOneNamingIt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("m.captioner"), "x");
        CliRun run = CliRun.of("serve", "--model", file.toString(), "--port", "0");

        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_RUNTIME);
        assertThat(run.err()).contains(file.toString());
    }

    @Test
    void servesARealModelArtifactOverHttp(@TempDir Path dir) throws Exception {
        SyntheticDataset data = SyntheticDataset.builder().optImages(20).optImageSize(64).build();
        Path model = TinyModel.save(dir.resolve("tiny-model"), data);
        AtomicReference<CaptionServer> started = new AtomicReference<>();
        ServeCommand.onStarted = started::set;

        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.of(
                "serve", "--model", model.toString(), "--port", "0"));
        CaptionServer server = awaitStarted(started, run);
        try {
            HttpResponse<String> response = new TestClient(server.uri())
                    .postImage("", "s.png", "image/png", TestImages.encode(data.sample(0).image(), "png"));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonObject json = JsonParser.parseString(response.body()).getAsJsonObject();
            assertThat(json.get("model").getAsString()).isEqualTo("tiny-model");
            try (Captioner direct = Captioner.load(model)) {
                assertThat(json.get("caption").getAsString()).isEqualTo(direct.caption(data.sample(0).image()).text());
            }
        } finally {
            server.stop();
        }
        assertThat(run.get(30, TimeUnit.SECONDS).exitCode()).isZero();
    }

    @Test
    void withoutModelAnExistingQuickstartModelIsServedWithoutRetraining(@TempDir Path dir) {
        SyntheticDataset data = SyntheticDataset.builder().optImages(10).optImageSize(64).build();
        Path model = TinyModel.save(dir.resolve("model"), data);
        long before = model.toFile().lastModified();

        assertThat(ServeCommand.quickstartModel(dir)).contains(model);
        assertThat(model.toFile().lastModified()).isEqualTo(before);
    }

    @Test
    void badLimitsAreUsageErrors(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("m.captioner"), "x");
        for (String[] args : List.of(
                new String[] {"--port", "70000"}, new String[] {"--workers", "0"}, new String[] {"--queue", "-1"},
                new String[] {"--timeout-ms", "0"}, new String[] {"--max-upload-bytes", "0"},
                new String[] {"--request-deadline-ms", "0"}, new String[] {"--min-upload-rate", "-1"},
                new String[] {"--idle-timeout-ms", "0"}, new String[] {"--max-connections", "0"},
                new String[] {"--max-connections-per-address", "300"}, new String[] {"--max-header-bytes", "100"},
                new String[] {"--max-batch", "0"}, new String[] {"--max-batch", "257"},
                new String[] {"--batch-window-ms", "-1"}, new String[] {"--batch-window-ms", "1001"})) {
            CliRun run = CliRun.of("serve", "--model", file.toString(), args[0], args[1]);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(CaptionerCli.EXIT_USAGE);
            assertThat(run.err()).contains(args[0]).contains(args[1]);
        }
    }

    @Test
    void servesTheLoadedModelAndClosesItWhenStopped(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tiny.captioner"), "x");
        AtomicBoolean closed = new AtomicBoolean();
        AtomicReference<Path> loaded = new AtomicReference<>();
        ServeCommand.loader = path -> {
            loaded.set(path);
            return new FixedCaptioner(closed);
        };
        AtomicReference<CaptionServer> started = new AtomicReference<>();
        ServeCommand.onStarted = started::set;

        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.of(
                "serve", "--model", file.toString(), "--port", "0", "--token", "t0k", "--workers", "2"));
        CaptionServer server = awaitStarted(started, run);
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.uri().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonObject json = JsonParser.parseString(health.body()).getAsJsonObject();
        assertThat(json.get("model").getAsString()).isEqualTo("tiny.captioner");
        assertThat(json.get("workers").getAsInt()).isEqualTo(2);
        assertThat(server.config().tokenRequired()).isTrue();
        assertThat(server.config().host()).isEqualTo("127.0.0.1");
        assertThat(closed).isFalse();

        server.stop();
        CliRun result = run.get(20, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("Serving").contains("/swagger");
        assertThat(loaded.get()).isEqualTo(file);
        assertThat(closed).as("captioner closed after stop").isTrue();
    }

    @Test
    void helpListsEveryClientLimitWithItsDefault() {
        CliRun run = CliRun.of("serve", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--request-deadline-ms", "--min-upload-rate", "--idle-timeout-ms",
                "--max-connections", "--max-connections-per-address", "--max-header-bytes");
        assertThat(run.out()).contains("default: 30000", "default: 1024", "default: 256", "default: 32",
                "default: 8192");
    }

    @Test
    void clientLimitFlagsReachTheServer(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tiny.captioner"), "x");
        ServeCommand.loader = path -> new FixedCaptioner(new AtomicBoolean());
        AtomicReference<CaptionServer> started = new AtomicReference<>();
        ServeCommand.onStarted = started::set;

        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.of(
                "serve", "--model", file.toString(), "--port", "0", "--request-deadline-ms", "5000",
                "--min-upload-rate", "0", "--idle-timeout-ms", "7000", "--max-connections", "64",
                "--max-connections-per-address", "8", "--max-header-bytes", "4096"));
        CaptionServer server = awaitStarted(started, run);
        ClientLimits limits = server.config().clientLimits();
        server.stop();

        assertThat(limits).isEqualTo(new ClientLimits(Duration.ofMillis(5000), 0, Duration.ofMillis(7000), 64, 8,
                4096));
        assertThat(run.get(20, TimeUnit.SECONDS).exitCode()).isZero();
    }

    @Test
    void batchingFlagsReachTheServerAndHelpNamesTheirDefaults(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tiny.captioner"), "x");
        ServeCommand.loader = path -> new FixedCaptioner(new AtomicBoolean());
        AtomicReference<CaptionServer> started = new AtomicReference<>();
        ServeCommand.onStarted = started::set;

        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.of(
                "serve", "--model", file.toString(), "--port", "0", "--max-batch", "1", "--batch-window-ms", "9"));
        CaptionServer server = awaitStarted(started, run);
        int maxBatch = server.config().maxBatch();
        Duration window = server.config().batchWindow();
        server.stop();

        assertThat(maxBatch).isEqualTo(1);
        assertThat(window).isEqualTo(Duration.ofMillis(9));
        assertThat(run.get(20, TimeUnit.SECONDS).exitCode()).isZero();
        assertThat(CliRun.of("serve", "--help").out()).contains("--max-batch", "--batch-window-ms", "default: 16",
                "default: 2)");
    }

    private static CaptionServer awaitStarted(AtomicReference<CaptionServer> started, CompletableFuture<CliRun> run)
            throws InterruptedException {
        for (int i = 0; i < 400 && started.get() == null; i++) {
            if (run.isDone()) {
                throw new AssertionError("serve exited early: " + run.join());
            }
            Thread.sleep(25);
        }
        if (started.get() == null) {
            throw new CompletionException(new AssertionError("serve did not start"));
        }
        return started.get();
    }

    /** A captioner that always answers "a fixed caption" and records being closed. */
    private static final class FixedCaptioner implements Captioner {
        private final AtomicBoolean closed;

        FixedCaptioner(AtomicBoolean closed) {
            this.closed = closed;
        }

        private static Caption fixed() {
            return Caption.of(List.of("a", "fixed", "caption"), List.of(-0.1, -0.1, -0.1, -0.1));
        }

        @Override
        public List<Caption> captionAll(List<BufferedImage> images, DecodingOptions options) {
            return images.stream().map(image -> fixed()).toList();
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
