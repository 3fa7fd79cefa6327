package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelShapeTest {

    @Test
    void stepWeightBytesCountLstmAndProjectionParametersAsFloat32() {
        ModelShape s = new ModelShape("t", 10, 3, 4, 7);
        long lstm = 4L * 4 * (3 + 4) + 2L * 4 * 4; // W_ih, W_hh, b_ih, b_hh
        long projection = 4L * 10 + 10;
        assertThat(s.stepWeightBytes()).isEqualTo(4 * (lstm + projection));
    }

    @Test
    void stepFlopsAreTwoPerMultiplyAddOfBothProducts() {
        ModelShape s = new ModelShape("t", 10, 3, 4, 7);
        assertThat(s.stepFlops(2)).isEqualTo(2.0 * 2 * (3 + 4) * 16 + 2.0 * 2 * 4 * 10);
    }

    @Test
    void flickr8kConfigurationHasTheIssueSizes() {
        assertThat(ModelShape.of("flickr8k")).isEqualTo(new ModelShape("flickr8k", 2533, 512, 512, 2048));
        assertThat(ModelShape.of("large").vocabularySize()).isEqualTo(10_000);
    }

    @Test
    void unknownConfigurationNameIsRejectedWithTheValue() {
        assertThatThrownBy(() -> ModelShape.of("huge")).hasMessageContaining("'huge'");
    }

    @Test
    void beamWidthParsesGreedyAndBeamK() {
        assertThat(Workloads.beamWidth("greedy")).isEqualTo(1);
        assertThat(Workloads.beamWidth("beam10")).isEqualTo(10);
        assertThatThrownBy(() -> Workloads.beamWidth("beam1")).hasMessageContaining("'beam1'");
    }
}
