package io.captioner.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: what a Prometheus server scrapes from a caption server. */
class MetricsEndpointTest {

    private final List<CaptionServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(CaptionServer::stop);
    }

    private CaptionServer start(CaptionServer.Builder b) {
        CaptionServer server = b.setModelName("metrics-test").optPort(0).optShutdownGrace(Duration.ofSeconds(1))
                .build();
        servers.add(server);
        return server.start();
    }

    private CaptionServer start() {
        return start(CaptionServer.builder().setCaptioner(new SizeCaptioner(Duration.ZERO)));
    }

    /** Returns the value of the one sample whose line starts with {@code series} (name and labels). */
    private static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("a sample %s in%n%s", series, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void isPrometheusTextFormatAndOpenEvenWithAToken() {
        CaptionServer server = start(CaptionServer.builder().setCaptioner(new SizeCaptioner(Duration.ZERO))
                .optToken("s3cret"));
        HttpResponse<String> response = new TestClient(server.uri()).get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/plain").contains("version=0.0.4"));
        assertThat(response.body()).contains("# HELP captioner_queue_depth", "# TYPE captioner_queue_depth gauge");
    }

    @Test
    void countsRequestsByRouteAndStatusWithALatencyHistogram() {
        CaptionServer server = start();
        TestClient client = new TestClient(server.uri());
        byte[] png = TestImages.encoded("png", 8, 8);
        client.postImage("", "a.png", "image/png", png);
        client.postImage("", "b.png", "image/png", png);
        client.postImage("beam=0", "c.png", "image/png", png);
        client.get("/nowhere/at/all");

        String scrape = client.get("/metrics").body();

        String ok = "captioner_http_requests_seconds_count{method=\"POST\",route=\"/caption\",status=\"200\"}";
        assertThat(sample(scrape, ok)).isEqualTo(2.0);
        assertThat(sample(scrape,
                "captioner_http_requests_seconds_count{method=\"POST\",route=\"/caption\",status=\"400\"}"))
                .isEqualTo(1.0);
        assertThat(sample(scrape,
                "captioner_http_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"}"))
                .as("unknown paths share one label value").isEqualTo(1.0);
        assertThat(sample(scrape, "captioner_http_requests_seconds_bucket{method=\"POST\",route=\"/caption\","
                + "status=\"200\",le=\"+Inf\"}")).isEqualTo(2.0);
        assertThat(scrape).contains("captioner_http_requests_seconds_bucket{method=\"POST\",route=\"/caption\","
                + "status=\"200\",le=\"0.005\"}");
    }

    @Test
    void publishesQueueBatchSizesAndCaptionsWritten() {
        CaptionServer server = start(CaptionServer.builder().setCaptioner(new SizeCaptioner(Duration.ZERO))
                .optQueueCapacity(7).optWorkers(2));
        TestClient client = new TestClient(server.uri());
        for (int i = 0; i < 3; i++) {
            client.postImage("", "a.png", "image/png", TestImages.encoded("png", 8, 8));
        }
        System.gc(); // a gauge whose state only Micrometer's weak reference holds would read NaN after this

        String scrape = client.get("/metrics").body();

        assertThat(sample(scrape, "captioner_queue_depth")).isZero();
        assertThat(sample(scrape, "captioner_queue_capacity")).isEqualTo(7.0);
        assertThat(sample(scrape, "captioner_workers")).isEqualTo(2.0);
        assertThat(sample(scrape, "captioner_workers_busy")).isZero();
        assertThat(sample(scrape, "captioner_captions_total")).isEqualTo(3.0);
        assertThat(sample(scrape, "captioner_batch_size_images_count")).isEqualTo(3.0);
        assertThat(sample(scrape, "captioner_batch_size_images_bucket{le=\"1.0\"}")).isEqualTo(3.0);
        assertThat(sample(scrape, "captioner_batch_size_images_bucket{le=\"16.0\"}")).isEqualTo(3.0);
        assertThat(sample(scrape, "captioner_inference_seconds_count")).isEqualTo(3.0);
    }

    @Test
    void publishesEachKindOfClientRejection() {
        CaptionServer server = start();
        TestClient client = new TestClient(server.uri());
        HttpResponse<String> tooBig = client.send(HttpRequest.newBuilder(server.uri().resolve("/health"))
                .header("X-Padding", "x".repeat(10_000)).GET().build());
        assertThat(tooBig.statusCode()).isEqualTo(431);

        String scrape = client.get("/metrics").body();

        assertThat(sample(scrape, "captioner_connections_rejected_total{reason=\"header_too_large\"}"))
                .isEqualTo(1.0);
        for (Rejection kind : Rejection.values()) {
            assertThat(scrape).contains("captioner_connections_rejected_total{reason=\""
                    + kind.name().toLowerCase(java.util.Locale.ROOT) + "\"}");
        }
    }

    @Test
    void publishesJvmProcessAndJettyMeters() {
        CaptionServer server = start();
        String scrape = new TestClient(server.uri()).get("/metrics").body();

        assertThat(scrape).contains("jvm_memory_used_bytes{area=\"heap\"", "jvm_memory_used_bytes{area=\"nonheap\"");
        assertThat(sample(scrape, "process_resident_memory_bytes")).as("resident set size, native memory included")
                .isGreaterThan(10_000_000.0);
        assertThat(sample(scrape, "process_virtual_memory_bytes")).isPositive();
        assertThat(scrape).contains("jvm_gc_", "jvm_threads_live_threads", "process_cpu_usage",
                "jetty_threads_busy", "jetty_connections_current");
    }
}
