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
        assertThat(config.tokenRequired()).isFalse();
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
