package io.captioner.models.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Encoder kinds: their stable ids, the parser and the torchvision view. */
class EncoderKindTest {

    @Test
    void idsAreTheStringsOfManifestsAndTheCommandLine() {
        assertThat(EncoderKind.values()).extracting(EncoderKind::id)
                .containsExactly("small-cnn", "vgg16", "resnet50");
    }

    @ParameterizedTest
    @EnumSource(EncoderKind.class)
    void parseReadsBackEveryIdAndToStringIsTheId(EncoderKind kind) {
        assertThat(EncoderKind.parse(kind.id())).isSameAs(kind);
        assertThat(EncoderKind.parse(kind.id().toUpperCase(java.util.Locale.ROOT))).isSameAs(kind);
        assertThat(kind).hasToString(kind.id());
    }

    @Test
    void parseRefusesAnUnknownIdNamingItAndTheAcceptedOnes() {
        assertThatThrownBy(() -> EncoderKind.parse("alexnet"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown encoder 'alexnet', expected one of small-cnn, vgg16, resnet50");
        assertThatThrownBy(() -> EncoderKind.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown encoder 'null'");
    }

    @Test
    void onlyTheTorchvisionKindsHaveAnArchitecture() {
        assertThat(EncoderKind.SMALL_CNN.torchvisionArch()).isEmpty();
        assertThat(EncoderKind.VGG16.torchvisionArch()).contains(TorchvisionArch.VGG16);
        assertThat(EncoderKind.RESNET50.torchvisionArch()).contains(TorchvisionArch.RESNET50);
    }

    @ParameterizedTest
    @EnumSource(TorchvisionArch.class)
    void everyTorchvisionArchIsAViewOfItsKind(TorchvisionArch arch) {
        assertThat(arch.kind().torchvisionArch()).contains(arch);
        assertThat(arch.id()).isEqualTo(arch.kind().id());
        assertThat(TorchvisionArch.of(arch.id())).isSameAs(arch);
    }

    @Test
    void torchvisionArchRefusesTheSmallCnnNamingTheAcceptedOnes() {
        assertThatThrownBy(() -> TorchvisionArch.of("small-cnn"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown architecture 'small-cnn', expected one of vgg16, resnet50");
    }
}
