package io.captioner.models.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.CaptionerException;
import org.junit.jupiter.api.Test;

/** Which decoder types decode at which precisions, and the settings' parsing and defaults. */
class DecoderPrecisionsTest {

    @Test
    void theLstmDecoderDecodesAtEveryPrecisionTheAttentionDecoderAtFp32Only() {
        assertThat(DecoderType.SHOW_AND_TELL.precisions()).containsExactlyInAnyOrder(Precision.values());
        assertThat(DecoderType.SHOW_ATTEND_TELL.precisions()).containsExactly(Precision.FP32);
        assertThatThrownBy(() -> DecoderType.SHOW_ATTEND_TELL.requireSupported(Precision.INT8, "model/decoder.params"))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("model/decoder.params")
                .hasMessageContaining("attention")
                .hasMessageContaining("int8");
    }

    @Test
    void precisionAndKernelNamesParseCaseInsensitivelyAndBadOnesAreNamed() {
        assertThat(Precision.parse("BF16")).isEqualTo(Precision.BF16);
        assertThat(StepKernel.parse("Vector")).isEqualTo(StepKernel.VECTOR);
        assertThatThrownBy(() -> StepKernel.parse("gpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gpu'").hasMessageContaining("[auto, torch, vector, scalar]");
        assertThatThrownBy(() -> new InferenceSettings(Precision.FP32, StepKernel.AUTO, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewRowMax must be at least 1, found 0");
    }

    @Test
    void autoIsTheVectorKernelWhereItRunsAndPyTorchElseAtEveryPrecision() {
        String before = System.getProperty(StepKernel.PROPERTY);
        System.clearProperty(StepKernel.PROPERTY);
        try {
            StepKernel expected = StepKernel.vectorAvailable() ? StepKernel.VECTOR : StepKernel.TORCH;
            assertThat(StepKernel.AUTO.resolve(Precision.FP32)).isEqualTo(expected);
            assertThat(StepKernel.AUTO.resolve(Precision.INT8)).isEqualTo(expected);
            System.setProperty(StepKernel.PROPERTY, "scalar");
            assertThat(StepKernel.AUTO.resolve(Precision.FP32)).isEqualTo(StepKernel.SCALAR);
            assertThat(StepKernel.TORCH.resolve(Precision.INT8)).isEqualTo(StepKernel.TORCH);
        } finally {
            if (before == null) {
                System.clearProperty(StepKernel.PROPERTY);
            } else {
                System.setProperty(StepKernel.PROPERTY, before);
            }
        }
    }
}
