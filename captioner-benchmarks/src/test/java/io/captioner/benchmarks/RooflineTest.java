package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class RooflineTest {

    @Test
    void bandwidthAndGemmFiguresArePositiveAndFinite() {
        try (Roofline r = new Roofline(Device.cpu(), 20, 2)) {
            assertThat(r.ndArraySumBandwidth(1 << 20)).isPositive().isFinite();
            assertThat(r.directBufferBandwidth(1 << 20, 2)).isPositive().isFinite();
            Roofline.StepGemm g = r.stepGemm(new ModelShape("t", 100, 16, 16, 8), 4);
            assertThat(g.flopsPerSecond()).isPositive().isFinite();
            assertThat(g.rows()).isEqualTo(4);
        }
    }

    @Test
    void rooflineLeavesNoLiveNDArrays() {
        long before = NativeMemory.liveNDArrays();
        try (Roofline r = new Roofline(Device.cpu(), 10, 1)) {
            r.matMulSeconds(4, 8, 8);
        }
        assertThat(NativeMemory.liveNDArrays()).isEqualTo(before);
    }
}
