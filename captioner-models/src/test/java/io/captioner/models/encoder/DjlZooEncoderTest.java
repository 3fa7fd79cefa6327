package io.captioner.models.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.CaptionerException;
import org.junit.jupiter.api.Test;

class DjlZooEncoderTest {

    @Test
    void zooEncoderIsRefusedOfflineBeforeAnyDownload() {
        // Surefire runs with ai.djl.offline=true, as the CLI does by default.
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThatThrownBy(() -> Encoders.djlZooResNet50Classifier(EncoderOptions.defaults()))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("ai.djl.offline=true")
                .hasMessageContaining("export_torchvision.py");
    }
}
