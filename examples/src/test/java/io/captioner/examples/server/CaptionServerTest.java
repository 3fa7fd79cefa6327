package io.captioner.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.captioner.Caption;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Starts real servers on ephemeral loopback ports and talks to them over HTTP. */
class CaptionServerTest {

    private final List<CaptionServer> servers = new ArrayList<>();
    private final List<BlockingCaptioner> blocking = new ArrayList<>();

    @AfterEach
    void stopServers() {
        blocking.forEach(BlockingCaptioner::release);
        servers.forEach(CaptionServer::stop);
    }

    private CaptionServer start(SizeCaptioner captioner, Consumer<CaptionServer.Builder> options) {
        CaptionServer.Builder b = CaptionServer.builder()
                .setCaptioner(captioner)
                .setModelName("size-test")
                .optPort(0)
                .optShutdownGrace(Duration.ofSeconds(5));
        options.accept(b);
        CaptionServer server = b.build();
        servers.add(server);
        return server.start();
    }

    private TestClient client(CaptionServer server) {
        return new TestClient(server.uri());
    }

    private BlockingCaptioner blockingCaptioner() {
        BlockingCaptioner c = new BlockingCaptioner();
        blocking.add(c);
        return c;
    }

    private static void assertError(HttpResponse<String> response, int status, String... fragments) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        JsonObject body = TestClient.json(response);
        assertThat(body.get("status").getAsInt()).isEqualTo(status);
        assertThat(body.get("error").getAsString()).contains(fragments);
    }

    @Test
    void captionsPngWithAllResponseFields() {
        CaptionServer server = start(new SizeCaptioner(Duration.ZERO), b -> { });
        HttpResponse<String> response = client(server).postImage("", "a.png", "image/png",
                TestImages.encoded("png", 32, 24));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject json = TestClient.json(response);
        Caption expected = SizeCaptioner.expected(32, 24, 20);
        assertThat(json.get("caption").getAsString()).isEqualTo("an image of 32x24 pixels");
        assertThat(json.get("score").getAsDouble()).isCloseTo(expected.logProb(),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(strings(json.getAsJsonArray("tokens"))).containsExactly("an", "image", "of", "32x24", "pixels");
        assertThat(json.get("model").getAsString()).isEqualTo("size-test");
        assertThat(json.get("elapsed_ms").getAsDouble()).isGreaterThanOrEqualTo(0.0);
        assertThat(json.has("alternatives")).as("no alternatives without nbest").isFalse();
    }

    @Test
    void acceptsJpegExactlyAsTheCurlCallSendsIt() {
        CaptionServer server = start(new SizeCaptioner(Duration.ZERO), b -> { });
        HttpResponse<String> response = client(server).postImage("", "photo.jpg", "image/jpeg",
                TestImages.encoded("jpg", 40, 30));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(TestClient.json(response).get("caption").getAsString()).isEqualTo("an image of 40x30 pixels");
    }

    @Test
    void nbestReturnsAlternativesRankedBelowTheCaption() {
        SizeCaptioner captioner = new SizeCaptioner(Duration.ZERO);
        CaptionServer server = start(captioner, b -> { });
        HttpResponse<String> response = client(server).postImage("nbest=3", "a.png", "image/png",
                TestImages.encoded("png", 16, 16));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject json = TestClient.json(response);
        JsonArray alternatives = json.getAsJsonArray("alternatives");
        assertThat(alternatives).hasSize(2);
        double score = json.get("score").getAsDouble();
        for (JsonElement e : alternatives) {
            JsonObject alt = e.getAsJsonObject();
            assertThat(alt.get("caption").getAsString()).contains("of 16x16");
            assertThat(alt.get("score").getAsDouble()).isLessThan(score);
        }
        assertThat(captioner.lastOptions().beamSize()).as("beam widened to nbest").isEqualTo(3);
        assertThat(captioner.lastOptions().nBest()).isEqualTo(3);
    }

    @Test
    void queryOptionsReachTheCaptioner() {
        SizeCaptioner captioner = new SizeCaptioner(Duration.ZERO);
        CaptionServer server = start(captioner, b -> { });
        HttpResponse<String> response = client(server).postImage("beam=4&max_length=3", "a.png", "image/png",
                TestImages.encoded("png", 8, 8));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(TestClient.json(response).get("caption").getAsString()).isEqualTo("an image of");
        DecodingOptions used = captioner.lastOptions();
        assertThat(used.beamSize()).isEqualTo(4);
        assertThat(used.nBest()).isEqualTo(1);
        assertThat(used.maxLength()).isEqualTo(3);
        assertThat(used.strategy()).isEqualTo(DecodingOptions.Strategy.BEAM);
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
        "beam=0|'beam'|'0'",
        "beam=abc|'beam'|'abc'",
        "beam=21|'beam'|'21'",
        "nbest=-2|'nbest'|'-2'",
        "beam=2&nbest=5|'nbest'|5",
        "max_length=1000|'max_length'|'1000'",
        "max_length=|'max_length'|''",
        "beam=2&beam=3|'beam'|[2, 3]",
        "n_best=2|'n_best'|known: beam, nbest, max_length"
    })
    void badQueryOptionIs400NamingParameterAndValue(String query, String name, String value) {
        SizeCaptioner captioner = new SizeCaptioner(Duration.ZERO);
        CaptionServer server = start(captioner, b -> { });
        HttpResponse<String> response = client(server).postImage(query, "a.png", "image/png",
                TestImages.encoded("png", 8, 8));

        assertError(response, 400, name, value);
        assertThat(captioner.lastOptions()).as("captioner not called").isNull();
    }

    @Test
    void missingImageFieldIs400ListingTheFieldsFound() {
        CaptionServer server = start(new SizeCaptioner(Duration.ZERO), b -> { });
        Multipart body = new Multipart().file("photo", "a.png", "image/png", TestImages.encoded("png", 8, 8))
                .field("note", "hello");
        HttpResponse<String> response = client(server).send(client(server).captionRequest("", body).build());

        assertError(response, 400, "missing form field 'image'", "photo", "note");
    }

    @Test
    void textUploadedAsImageIs400NotAnImage() {
        CaptionServer server = start(new SizeCaptioner(Duration.ZERO), b -> { });
        HttpResponse<String> response = client(server).postImage("", "photo.jpg", "image/jpeg",
                "this is not a picture".getBytes(StandardCharsets.UTF_8));

        assertError(response, 400, "not a supported image format", "photo.jpg");
    }

    @Test
    void truncatedPngIs400CorruptImage() {
        CaptionServer server = start(new SizeCaptioner(Duration.ZERO), b -> { });
        HttpResponse<String> response = client(server).postImage("", "cut.png", "image/png",
                TestImages.truncatedPng());

        assertError(response, 400, "corrupt", "cut.png");
    }

    @Test
    void imageAboveTheDecodersPixelLimitIs400BeforeCaptioning() {
        SizeCaptioner captioner = new SizeCaptioner(Duration.ZERO);
        io.captioner.models.image.ImageLoader small = io.captioner.models.image.ImageLoader.withMaxPixels(1000);
        CaptionServer server = start(captioner, b -> b.optImageDecoder(small::decode));
        HttpResponse<String> response = client(server).postImage("beam=2", "wide.png", "image/png",
                TestImages.encoded("png", 100, 20));

        assertError(response, 400, "100x20", "1000 pixels");
        assertThat(captioner.lastOptions()).as("captioner not called").isNull();
    }

    @Test
    void uploadOverTheLimitIs413FromContentLength() {
        CaptionServer server = start(new SizeCaptioner(Duration.ZERO), b -> b.optMaxUploadBytes(20_000));
        byte[] big = TestImages.noisePng(100, 100);
        assertThat(big.length).isGreaterThan(25_000);
        HttpResponse<String> response = client(server).postImage("", "big.png", "image/png", big);

        assertError(response, 413, "limit is 20000 bytes", "Content-Length");
    }

    @Test
    void chunkedUploadOverTheLimitIs413WhileStreaming() {
        CaptionServer server = start(new SizeCaptioner(Duration.ZERO), b -> b.optMaxUploadBytes(20_000));
        Multipart body = new Multipart().file("image", "big.png", "image/png", TestImages.noisePng(100, 100));
        HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("/caption"))
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.bytes())))
                .build();
        HttpResponse<String> response = client(server).send(request);

        assertThat(response.headers().firstValue("Content-Length")).isPresent();
        assertError(response, 413, "limit is 20000 bytes");
    }

    @Test
    void uploadUnderTheLimitIsAccepted() {
        CaptionServer server = start(new SizeCaptioner(Duration.ZERO), b -> b.optMaxUploadBytes(20_000));
        HttpResponse<String> response = client(server).postImage("", "small.png", "image/png",
                TestImages.encoded("png", 20, 10));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0} body -> 415")
    @CsvSource({"application/json, '{\"image\": \"x\"}'", "text/plain, hello", "image/png, xxxx"})
    void nonMultipartBodyIs415(String contentType, String body) {
        CaptionServer server = start(new SizeCaptioner(Duration.ZERO), b -> { });
        HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("/caption"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();

        assertError(client(server).send(request), 415, "multipart/form-data", contentType);
    }

    @Test
    void fullQueueIs503WithRetryAfterAndQueuedWorkStillCompletes() throws Exception {
        BlockingCaptioner captioner = blockingCaptioner();
        CaptionServer server = start(captioner, b -> b.optWorkers(1).optQueueCapacity(1));
        TestClient client = client(server);
        byte[] png = TestImages.encoded("png", 12, 12);

        CompletableFuture<HttpResponse<String>> running = client.postImageAsync("", png);
        assertThat(captioner.awaitStarted(1)).isTrue();
        CompletableFuture<HttpResponse<String>> queued = client.postImageAsync("", png);
        awaitQueueDepth(client, 1);

        HttpResponse<String> refused = client.postImage("", "a.png", "image/png", png);
        assertError(refused, 503, "server busy", "1 request(s) are queued");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");

        captioner.release();
        assertThat(running.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(queued.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void requestNotCaptionedWithinTimeoutIs504AndServerStaysHealthy() throws Exception {
        BlockingCaptioner captioner = blockingCaptioner();
        CaptionServer server = start(captioner, b -> b.optTimeout(Duration.ofMillis(300)));
        TestClient client = client(server);

        long t0 = System.nanoTime();
        HttpResponse<String> response = client.postImage("", "a.png", "image/png", TestImages.encoded("png", 8, 8));
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertError(response, 504, "timeout of 300 ms");
        assertThat(ms).isLessThan(5_000);
        captioner.release();
        assertThat(client.get("/health").statusCode()).isEqualTo(200);
        assertThat(client.postImage("", "a.png", "image/png", TestImages.encoded("png", 8, 8)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void tokenIsRequiredOnCaptionButHealthStaysOpen() {
        CaptionServer server = start(new SizeCaptioner(Duration.ZERO), b -> b.optToken("s3cret"));
        TestClient client = client(server);
        Multipart body = new Multipart().file("image", "a.png", "image/png", TestImages.encoded("png", 8, 8));

        HttpResponse<String> none = client.send(client.captionRequest("", body).build());
        assertError(none, 401, "missing bearer token");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Bearer"));
        assertError(client.send(client.captionRequest("", body).header("Authorization", "Bearer wrong").build()),
                401, "wrong bearer token");
        assertError(client.send(client.captionRequest("", body).header("Authorization", "Basic czNjcmV0").build()),
                401, "Bearer scheme");
        assertThat(client.send(client.captionRequest("", body).header("Authorization", "Bearer s3cret").build())
                .statusCode()).isEqualTo(200);
        assertThat(client.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void captionerFailureIs500NamingTheRequestIdButNotTheException() {
        SizeCaptioner failing = new SizeCaptioner(Duration.ZERO) {
            @Override
            public List<Caption> captionAll(List<BufferedImage> images, DecodingOptions options) {
                throw new CaptionerException("decoder weights are NaN in /secret/model.params");
            }
        };
        CaptionServer server = start(failing, b -> { });
        HttpResponse<String> response = client(server).postImage("", "a.png", "image/png",
                TestImages.encoded("png", 8, 8));

        String id = response.headers().firstValue(CaptionServer.REQUEST_ID_HEADER).orElseThrow();
        assertError(response, 500, "internal error", "request id " + id);
        assertThat(response.body()).doesNotContain("NaN", "secret", "CaptionerException", "Exception");
    }

    @Test
    void everyAnswerCarriesItsOwnRequestId() {
        CaptionServer server = start(new SizeCaptioner(Duration.ZERO), b -> { });
        TestClient client = client(server);

        List<String> ids = new ArrayList<>();
        for (HttpResponse<String> r : List.of(client.get("/health"), client.get("/nowhere"),
                client.postImage("", "a.png", "image/png", TestImages.encoded("png", 4, 4)),
                client.postImage("beam=0", "a.png", "image/png", TestImages.encoded("png", 4, 4)))) {
            ids.add(r.headers().firstValue(CaptionServer.REQUEST_ID_HEADER).orElseThrow(
                    () -> new AssertionError("no request id on " + r.uri() + " " + r.statusCode())));
        }
        assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).matches("[0-9a-f]{16}"));
    }

    @Test
    void thirtyTwoConcurrentRequestsAreAllAnsweredWithTheirOwnCaption() throws Exception {
        CaptionServer server = start(new SizeCaptioner(Duration.ofMillis(20)),
                b -> b.optWorkers(4).optQueueCapacity(64));
        TestClient client = client(server);
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            futures.add(client.postImageAsync("", TestImages.encoded("png", 10 + i, 5 + i)));
        }
        for (int i = 0; i < 32; i++) {
            HttpResponse<String> response = futures.get(i).get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(TestClient.json(response).get("caption").getAsString())
                    .isEqualTo("an image of " + (10 + i) + "x" + (5 + i) + " pixels");
        }
        JsonObject health = TestClient.json(client.get("/health"));
        assertThat(health.get("status").getAsString()).isEqualTo("ok");
        assertThat(health.get("queue_depth").getAsInt()).isZero();
        assertThat(client.postImage("", "a.png", "image/png", TestImages.encoded("png", 3, 4)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void stopLetsTheRequestInFlightFinishThenRefusesConnections() throws Exception {
        BlockingCaptioner captioner = blockingCaptioner();
        CaptionServer server = start(captioner, b -> { });
        TestClient client = client(server);

        CompletableFuture<HttpResponse<String>> inFlight = client.postImageAsync("", TestImages.encoded("png", 9, 7));
        assertThat(captioner.awaitStarted(1)).isTrue();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
        Thread.sleep(300);
        assertThat(stopping).as("stop waits for the request in flight").isNotDone();
        assertThatThrownBy(() -> new TestClient(server.uri()).get("/health"))
                .as("no new connections while draining").isInstanceOf(UncheckedIOException.class);

        captioner.release();
        HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(TestClient.json(response).get("caption").getAsString()).isEqualTo("an image of 9x7 pixels");
        stopping.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> client.get("/health"))
                .isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void portInUseFailsStartNamingTheAddress() {
        CaptionServer first = start(new SizeCaptioner(Duration.ZERO), b -> { });
        CaptionServer second = CaptionServer.builder().setCaptioner(new SizeCaptioner(Duration.ZERO))
                .setModelName("m").optPort(first.port()).build();

        assertThatThrownBy(second::start).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("127.0.0.1:" + first.port());
        second.stop();
    }

    @Test
    void healthReportsModelQueueAndUptime() throws Exception {
        CaptionServer server = start(new SizeCaptioner(Duration.ZERO), b -> b.optWorkers(2).optQueueCapacity(5));
        Thread.sleep(20);
        HttpResponse<String> response = client(server).get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject json = TestClient.json(response);
        assertThat(json.get("status").getAsString()).isEqualTo("ok");
        assertThat(json.get("model").getAsString()).isEqualTo("size-test");
        assertThat(json.get("uptime_s").getAsDouble()).isPositive();
        assertThat(json.get("queue_depth").getAsInt()).isZero();
        assertThat(json.get("queue_capacity").getAsInt()).isEqualTo(5);
        assertThat(json.get("workers").getAsInt()).isEqualTo(2);
        assertThat(json.get("max_batch").getAsInt()).isEqualTo(16);
        assertThat(json.get("batch_window_ms").getAsDouble()).isEqualTo(2.0);
        assertThat(json.get("attention").getAsBoolean()).isFalse();
    }

    @Test
    void maxLengthAloneKeepsTheModelsOwnBeamSearch() {
        DecodingOptions saved = DecodingOptions.builder().optBeamSize(3).optNBest(2).optMaxLength(16).build();
        SizeCaptioner captioner = new SizeCaptioner(Duration.ZERO) {
            @Override
            public DecodingOptions defaultOptions() {
                return saved;
            }
        };
        CaptionServer server = start(captioner, b -> { });
        HttpResponse<String> response = client(server).postImage("max_length=30", "a.png", "image/png",
                TestImages.encoded("png", 8, 8));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(captioner.lastOptions()).isEqualTo(saved.toBuilder().optMaxLength(30).build());
        assertThat(TestClient.json(response).getAsJsonArray("alternatives")).as("the model's n-best of 2").hasSize(1);
    }

    @Test
    void openApiDocumentDescribesTheMultipartCaptionRoute() {
        CaptionServer server = start(new SizeCaptioner(Duration.ZERO), b -> { });
        HttpResponse<String> response = client(server).get("/openapi.json");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject doc = TestClient.json(response);
        assertThat(doc.getAsJsonObject("info").get("title").getAsString()).isEqualTo("captioner");
        JsonObject post = doc.getAsJsonObject("paths").getAsJsonObject("/caption").getAsJsonObject("post");
        JsonObject image = post.getAsJsonObject("requestBody").getAsJsonObject("content")
                .getAsJsonObject("multipart/form-data").getAsJsonObject("schema")
                .getAsJsonObject("properties").getAsJsonObject("image");
        assertThat(image.get("format").getAsString()).isEqualTo("binary");
        assertThat(post.getAsJsonObject("responses").keySet())
                .contains("200", "400", "401", "413", "415", "503", "504");
        assertThat(doc.getAsJsonObject("paths").has("/health")).isTrue();
        assertThat(doc.getAsJsonObject("components").getAsJsonObject("securitySchemes").has("BearerAuth")).isTrue();
        assertThat(doc.getAsJsonObject("components").getAsJsonObject("schemas").getAsJsonObject("CaptionResponse")
                .getAsJsonObject("properties").keySet())
                .contains("caption", "score", "tokens", "alternatives", "model", "elapsed_ms");
    }

    @Test
    void swaggerUiPageAndItsScriptsAreServedLocally() {
        CaptionServer server = start(new SizeCaptioner(Duration.ZERO), b -> { });
        TestClient client = client(server);
        HttpResponse<String> page = client.get("/swagger");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/openapi.json").contains("swagger-ui-bundle.js");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("src=\"([^\"]*swagger-ui-bundle\\.js)\"")
                .matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        HttpResponse<String> script = client.get(m.group(1));
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body().length()).isGreaterThan(100_000);
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405AsJson() {
        CaptionServer server = start(new SizeCaptioner(Duration.ZERO), b -> { });
        TestClient client = client(server);

        assertError(client.get("/captions"), 404, "no route GET /captions", "POST /caption");
        assertError(client.get("/caption"), 405, "GET not allowed on /caption");
    }

    private static void awaitQueueDepth(TestClient client, int depth) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (TestClient.json(client.get("/health")).get("queue_depth").getAsInt() == depth) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("queue depth never reached " + depth);
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.getAsString()));
        return out;
    }
}
