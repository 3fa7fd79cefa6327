package io.captioner;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CaptionerLoadTest {

    @Test
    void loadWithoutAnImplementationOnTheClassPathSaysWhichModuleIsMissing() {
        // captioner-core's tests do not see captioner-models, so no CaptionerProvider is registered.
        assertThatThrownBy(() -> Captioner.load(Path.of("model.zip")))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("model.zip: no captioner implementation on the class path")
                .hasMessageContaining("captioner-models");
    }
}
