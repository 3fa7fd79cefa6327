package io.captioner.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.Caption;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Dynamic batching over real HTTP: requests queued behind a busy worker are captioned in one call
 * per set of options, failures stay with their own request, and a request that times out while
 * queued is never decoded. A first request held in the captioner ({@link GatedCaptioner}) makes
 * the others queue, so that which requests share a batch does not depend on timing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CaptionBatchingTest {

    private final List<CaptionServer> servers = new ArrayList<>();
    private final List<GatedCaptioner> gated = new ArrayList<>();

    @AfterEach
    void stopServers() {
        gated.forEach(GatedCaptioner::open);
        servers.forEach(CaptionServer::stop);
    }

    private CaptionServer start(SizeCaptioner captioner, Consumer<CaptionServer.Builder> options) {
        if (captioner instanceof GatedCaptioner g) {
            gated.add(g);
        }
        CaptionServer.Builder b = CaptionServer.builder()
                .setCaptioner(captioner)
                .setModelName("batch-test")
                .optPort(0)
                .optShutdownGrace(Duration.ofSeconds(2));
        options.accept(b);
        CaptionServer server = b.build();
        servers.add(server);
        return server.start();
    }

    /** Sends one request that the gated captioner holds, then {@code queued} more that wait behind it. */
    private static List<CompletableFuture<HttpResponse<String>>> queueBehindAHeldRequest(CaptionServer server,
            GatedCaptioner captioner, List<String> queries, List<byte[]> images) throws Exception {
        TestClient client = new TestClient(server.uri());
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        answers.add(client.postImageAsync("", TestImages.encoded("png", 7, 7)));
        assertThat(captioner.awaitFirstCall()).isTrue();
        for (int i = 0; i < queries.size(); i++) {
            answers.add(postAsync(client, queries.get(i), images.get(i)));
        }
        awaitQueueDepth(client, queries.size());
        return answers;
    }

    private static CompletableFuture<HttpResponse<String>> postAsync(TestClient client, String query, byte[] file) {
        return client.postImageAsync(query, file);
    }

    private static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static String caption(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestClient.json(response).get("caption").getAsString();
    }

    @Test
    void requestsQueuedTogetherAreCaptionedInOneCall() throws Exception {
        GatedCaptioner captioner = new GatedCaptioner();
        CaptionServer server = start(captioner, b -> { });
        List<CompletableFuture<HttpResponse<String>>> answers = queueBehindAHeldRequest(server, captioner,
                List.of("", "", ""), List.of(TestImages.encoded("png", 10, 11), TestImages.encoded("png", 20, 21),
                        TestImages.encoded("png", 30, 31)));

        captioner.open();

        assertThat(caption(answer(answers.get(1)))).isEqualTo("an image of 10x11 pixels");
        assertThat(caption(answer(answers.get(2)))).isEqualTo("an image of 20x21 pixels");
        assertThat(caption(answer(answers.get(3)))).isEqualTo("an image of 30x31 pixels");
        List<GatedCaptioner.Call> calls = captioner.calls();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).sizes()).containsExactlyInAnyOrder("10x11", "20x21", "30x31");
    }

    @Test
    void requestsOfOneBatchAreGroupedByTheirOptions() throws Exception {
        GatedCaptioner captioner = new GatedCaptioner();
        CaptionServer server = start(captioner, b -> { });
        List<CompletableFuture<HttpResponse<String>>> answers = queueBehindAHeldRequest(server, captioner,
                List.of("beam=2", "", "beam=2&max_length=3", "beam=2"),
                List.of(TestImages.encoded("png", 10, 10), TestImages.encoded("png", 20, 20),
                        TestImages.encoded("png", 30, 30), TestImages.encoded("png", 40, 40)));

        captioner.open();

        assertThat(caption(answer(answers.get(1)))).isEqualTo("an image of 10x10 pixels");
        assertThat(caption(answer(answers.get(2)))).isEqualTo("an image of 20x20 pixels");
        assertThat(caption(answer(answers.get(3)))).as("its own max_length").isEqualTo("an image of");
        assertThat(caption(answer(answers.get(4)))).isEqualTo("an image of 40x40 pixels");
        List<GatedCaptioner.Call> batch = captioner.calls().subList(1, captioner.calls().size());
        assertThat(batch).as("one call per set of options").hasSize(3);
        assertThat(callWith(batch, DecodingOptions.defaults().toBuilder().optBeamSize(2)
                .optStrategy(DecodingOptions.Strategy.BEAM).build()).sizes())
                .containsExactlyInAnyOrder("10x10", "40x40");
        assertThat(callWith(batch, DecodingOptions.defaults()).sizes()).containsExactly("20x20");
        assertThat(callWith(batch, DecodingOptions.defaults().toBuilder().optBeamSize(2)
                .optStrategy(DecodingOptions.Strategy.BEAM).optMaxLength(3).build()).sizes())
                .containsExactly("30x30");
    }

    @Test
    void optionsTheCaptionerRefusesFailOnlyTheRequestThatAskedForThem() throws Exception {
        GatedCaptioner captioner = new GatedCaptioner() {
            @Override
            public List<Caption> captionAll(List<BufferedImage> images, DecodingOptions options) {
                if (options.beamSize() == 7) {
                    throw new IllegalArgumentException("beam 7 is not supported by this decoder");
                }
                return super.captionAll(images, options);
            }
        };
        CaptionServer server = start(captioner, b -> { });
        List<CompletableFuture<HttpResponse<String>>> answers = queueBehindAHeldRequest(server, captioner,
                List.of("", "beam=7", ""), List.of(TestImages.encoded("png", 10, 10),
                        TestImages.encoded("png", 20, 20), TestImages.encoded("png", 30, 30)));

        captioner.open();

        HttpResponse<String> refused = answer(answers.get(2));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(TestClient.json(refused).get("error").getAsString())
                .contains("refused the options", "beam 7 is not supported");
        assertThat(caption(answer(answers.get(1)))).isEqualTo("an image of 10x10 pixels");
        assertThat(caption(answer(answers.get(3)))).isEqualTo("an image of 30x30 pixels");
        List<GatedCaptioner.Call> batch = captioner.calls().subList(1, captioner.calls().size());
        assertThat(callWith(batch, DecodingOptions.defaults()).sizes()).as("the others still in one call")
                .containsExactlyInAnyOrder("10x10", "30x30");
    }

    @Test
    void anUploadThatIsNotAnImageFailsAloneInItsBatch() throws Exception {
        GatedCaptioner captioner = new GatedCaptioner();
        CaptionServer server = start(captioner, b -> { });
        List<CompletableFuture<HttpResponse<String>>> answers = queueBehindAHeldRequest(server, captioner,
                List.of("", "", ""), List.of(TestImages.encoded("png", 10, 10),
                        "hello, not an image".getBytes(StandardCharsets.UTF_8), TestImages.encoded("png", 30, 30)));

        captioner.open();

        HttpResponse<String> refused = answer(answers.get(2));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("not a supported image format");
        assertThat(caption(answer(answers.get(1)))).isEqualTo("an image of 10x10 pixels");
        assertThat(caption(answer(answers.get(3)))).isEqualTo("an image of 30x30 pixels");
        assertThat(captioner.calls().get(1).sizes()).containsExactlyInAnyOrder("10x10", "30x30");
    }

    @Test
    void anImageTheCaptionerFailsOnFailsOnlyItsOwnRequest() throws Exception {
        GatedCaptioner captioner = new GatedCaptioner() {
            @Override
            public List<Caption> captionAll(List<BufferedImage> images, DecodingOptions options) {
                if (images.stream().anyMatch(i -> i.getWidth() == 13)) {
                    throw new CaptionerException("the engine failed on a 13-pixel-wide image");
                }
                return super.captionAll(images, options);
            }
        };
        CaptionServer server = start(captioner, b -> { });
        List<CompletableFuture<HttpResponse<String>>> answers = queueBehindAHeldRequest(server, captioner,
                List.of("", "", ""), List.of(TestImages.encoded("png", 10, 10), TestImages.encoded("png", 13, 13),
                        TestImages.encoded("png", 30, 30)));

        captioner.open();

        HttpResponse<String> failed = answer(answers.get(2));
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(500);
        assertThat(failed.body()).doesNotContain("13-pixel").contains("request id");
        assertThat(caption(answer(answers.get(1)))).isEqualTo("an image of 10x10 pixels");
        assertThat(caption(answer(answers.get(3)))).isEqualTo("an image of 30x30 pixels");
    }

    @Test
    void maxBatchOneCaptionsEachRequestOnItsOwn() throws Exception {
        GatedCaptioner captioner = new GatedCaptioner();
        CaptionServer server = start(captioner, b -> b.optMaxBatch(1));
        List<CompletableFuture<HttpResponse<String>>> answers = queueBehindAHeldRequest(server, captioner,
                List.of("", "", ""), List.of(TestImages.encoded("png", 10, 10), TestImages.encoded("png", 20, 20),
                        TestImages.encoded("png", 30, 30)));

        captioner.open();

        for (int i = 1; i <= 3; i++) {
            assertThat(caption(answer(answers.get(i)))).isEqualTo("an image of " + i + "0x" + i + "0 pixels");
        }
        assertThat(captioner.calls()).extracting(GatedCaptioner.Call::sizes).hasSize(4)
                .allSatisfy(sizes -> assertThat(sizes).hasSize(1));
    }

    @Test
    void aRequestThatTimesOutWhileQueuedIsNeverDecoded() throws Exception {
        GatedCaptioner captioner = new GatedCaptioner();
        List<String> decoded = Collections.synchronizedList(new ArrayList<>());
        ImageDecoder standard = ImageDecoder.standard();
        CaptionServer server = start(captioner, b -> b.optTimeout(Duration.ofMillis(800)).optImageDecoder(
                (bytes, name) -> {
                    BufferedImage image = standard.decode(bytes, name);
                    decoded.add(image.getWidth() + "x" + image.getHeight());
                    return image;
                }));
        TestClient client = new TestClient(server.uri());
        CompletableFuture<HttpResponse<String>> held = client.postImageAsync("", TestImages.encoded("png", 7, 7));
        assertThat(captioner.awaitFirstCall()).isTrue();

        HttpResponse<String> late = client.postImage("", "late.png", "image/png", TestImages.encoded("png", 44, 44));

        assertThat(late.statusCode()).as(late.body()).isEqualTo(504);
        assertThat(TestClient.json(client.get("/health")).get("queue_depth").getAsInt())
                .as("the timed-out request left the queue").isZero();
        captioner.open();
        assertThat(answer(held).statusCode()).as("answered 504 already; the worker finished it").isEqualTo(504);
        assertThat(caption(client.postImage("", "next.png", "image/png", TestImages.encoded("png", 9, 9))))
                .isEqualTo("an image of 9x9 pixels");
        assertThat(decoded).containsExactly("7x7", "9x9");
        assertThat(captioner.calls()).extracting(GatedCaptioner.Call::sizes)
                .containsExactly(List.of("7x7"), List.of("9x9"));
    }

    @Test
    void theWindowLetsALaterRequestJoinTheBatch() throws Exception {
        GatedCaptioner captioner = new GatedCaptioner();
        captioner.open();
        CaptionServer server = start(captioner, b -> b.optBatchWindow(Duration.ofMillis(1000)));
        TestClient client = new TestClient(server.uri());

        CompletableFuture<HttpResponse<String>> first = client.postImageAsync("", TestImages.encoded("png", 10, 10));
        Thread.sleep(150);
        CompletableFuture<HttpResponse<String>> second = client.postImageAsync("", TestImages.encoded("png", 20, 20));

        assertThat(caption(answer(first))).isEqualTo("an image of 10x10 pixels");
        assertThat(caption(answer(second))).isEqualTo("an image of 20x20 pixels");
        assertThat(captioner.calls()).extracting(GatedCaptioner.Call::sizes)
                .containsExactly(List.of("10x10", "20x20"));
    }

    @Test
    void aFullBatchGoesWithoutWaitingForTheWindow() throws Exception {
        GatedCaptioner captioner = new GatedCaptioner();
        captioner.open();
        CaptionServer server = start(captioner, b -> b.optMaxBatch(2).optBatchWindow(Duration.ofMillis(1000)));
        TestClient client = new TestClient(server.uri());

        CompletableFuture<HttpResponse<String>> first = client.postImageAsync("", TestImages.encoded("png", 10, 10));
        CompletableFuture<HttpResponse<String>> second = client.postImageAsync("", TestImages.encoded("png", 20, 20));
        HttpResponse<String> a = answer(first);
        HttpResponse<String> b = answer(second);

        assertThat(captioner.calls()).singleElement().satisfies(
                call -> assertThat(call.sizes()).containsExactlyInAnyOrder("10x10", "20x20"));
        double lastJoinerMs = Math.min(TestClient.json(a).get("elapsed_ms").getAsDouble(),
                TestClient.json(b).get("elapsed_ms").getAsDouble());
        assertThat(lastJoinerMs).as("the request that filled the batch did not wait out the 1000 ms window")
                .isLessThan(500.0);
    }

    @Test
    void aLoneRequestWaitsNoLongerThanTheWindow() throws Exception {
        GatedCaptioner captioner = new GatedCaptioner();
        captioner.open();
        CaptionServer server = start(captioner, b -> b.optBatchWindow(Duration.ofMillis(300)));
        TestClient client = new TestClient(server.uri());
        caption(client.postImage("", "warm.png", "image/png", TestImages.encoded("png", 5, 5)));

        long t0 = System.nanoTime();
        caption(client.postImage("", "a.png", "image/png", TestImages.encoded("png", 10, 10)));
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(ms).as("waited for the window, then went alone").isBetween(290L, 3_000L);
    }

    private static GatedCaptioner.Call callWith(List<GatedCaptioner.Call> calls, DecodingOptions options) {
        List<GatedCaptioner.Call> matching = calls.stream().filter(c -> c.options().equals(options)).toList();
        assertThat(matching).as("calls with %s among %s", options, calls).hasSize(1);
        return matching.get(0);
    }

    private static void awaitQueueDepth(TestClient client, int depth) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            if (TestClient.json(client.get("/health")).get("queue_depth").getAsInt() == depth) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("queue depth never reached " + depth);
    }
}
