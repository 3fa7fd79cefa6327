package io.captioner.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CaptionServerBuilderTest {

    private static CaptionServer.Builder valid() {
        return CaptionServer.builder().setCaptioner(new SizeCaptioner(Duration.ZERO)).setModelName("m");
    }

    @Test
    void defaultsBindLoopbackWithDocumentedLimits() {
        ServerConfig config = valid().build().config();

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.maxUploadBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(config.workers()).isEqualTo(1);
        assertThat(config.maxBatch()).isEqualTo(16);
        assertThat(config.batchWindow()).isEqualTo(Duration.ofMillis(2));
        assertThat(config.tokenRequired()).isFalse();
        assertThat(config.clientLimits()).isEqualTo(new ClientLimits(Duration.ofSeconds(30), 1024,
                Duration.ofSeconds(30), 256, 32, 8192));
    }

    @Test
    void clientLimitsAreSetByTheBuilder() {
        ClientLimits limits = valid().optRequestDeadline(Duration.ofSeconds(5)).optMinUploadRate(0)
                .optIdleTimeout(Duration.ofSeconds(7)).optMaxConnections(64).optMaxConnectionsPerAddress(4)
                .optMaxHeaderBytes(2048).build().config().clientLimits();

        assertThat(limits).isEqualTo(new ClientLimits(Duration.ofSeconds(5), 0, Duration.ofSeconds(7), 64, 4, 2048));
        assertThat(limits.toString()).contains("deadline=5000 ms", "minUpload=none", "perAddress=4");
    }

    @Test
    void invalidClientLimitsNameTheFieldAndValue() {
        assertThatThrownBy(() -> valid().optRequestDeadline(Duration.ZERO).build())
                .hasMessageContaining("requestDeadline").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> valid().optMinUploadRate(-5).build())
                .hasMessageContaining("minUploadBytesPerSecond").hasMessageContaining("-5");
        assertThatThrownBy(() -> valid().optIdleTimeout(Duration.ofMillis(-1)).build())
                .hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> valid().optMaxConnections(0).build())
                .hasMessageContaining("maxConnections").hasMessageContaining("found 0");
        assertThatThrownBy(() -> valid().optMaxConnections(10).optMaxConnectionsPerAddress(11).build())
                .hasMessageContaining("maxConnectionsPerAddress").hasMessageContaining("(10)")
                .hasMessageContaining("11");
        assertThatThrownBy(() -> valid().optMaxHeaderBytes(512).build())
                .hasMessageContaining("maxHeaderBytes").hasMessageContaining("512");
    }

    @Test
    void captionerAndModelNameAreRequired() {
        assertThatThrownBy(() -> CaptionServer.builder().setModelName("m").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("captioner");
        assertThatThrownBy(() -> CaptionServer.builder().setCaptioner(new SizeCaptioner(Duration.ZERO)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("modelName");
    }

    @Test
    void invalidLimitsNameTheFieldAndValue() {
        assertThatThrownBy(() -> valid().optWorkers(0).build()).hasMessageContaining("workers").hasMessageContaining("0");
        assertThatThrownBy(() -> valid().optPort(70000).build()).hasMessageContaining("port").hasMessageContaining("70000");
        assertThatThrownBy(() -> valid().optQueueCapacity(-1).build()).hasMessageContaining("queueCapacity");
        assertThatThrownBy(() -> valid().optTimeout(Duration.ZERO).build()).hasMessageContaining("timeout");
        assertThatThrownBy(() -> valid().optMaxUploadBytes(0).build()).hasMessageContaining("maxUploadBytes");
        assertThatThrownBy(() -> valid().optToken(" ").build()).hasMessageContaining("token");
        assertThatThrownBy(() -> valid().optMaxBatch(0).build()).hasMessageContaining("maxBatch")
                .hasMessageContaining("found 0");
        assertThatThrownBy(() -> valid().optMaxBatch(257).build()).hasMessageContaining("maxBatch")
                .hasMessageContaining("257");
        assertThatThrownBy(() -> valid().optBatchWindow(Duration.ofMillis(-1)).build())
                .hasMessageContaining("batchWindow");
        assertThatThrownBy(() -> valid().optBatchWindow(Duration.ofSeconds(2)).build())
                .hasMessageContaining("batchWindow").hasMessageContaining("PT2S");
    }

    @Test
    void configToStringNeverShowsTheToken() {
        ServerConfig config = valid().optToken("very-secret-token").build().config();

        assertThat(config.tokenRequired()).isTrue();
        assertThat(config.toString()).contains("token=required").doesNotContain("very-secret-token");
    }

    @Test
    void portIsUnknownBeforeStart() {
        assertThatThrownBy(() -> valid().build().port()).isInstanceOf(IllegalStateException.class);
    }
}
