package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NaiveDecoderTest {

    private static final ModelShape SMALL = new ModelShape("small", 50, 8, 16, 12);
    private static NaiveDecoder decoder;

    @BeforeAll
    static void create() {
        decoder = new NaiveDecoder(SMALL, Device.cpu(), 1);
    }

    @AfterAll
    static void close() {
        decoder.close();
    }

    @Test
    void greedyEmitsOneTokenPerStepForEveryImage() {
        long[][] tokens = decoder.greedy(Workloads.features(3, SMALL.featureSize(), 1), 5);
        assertThat(tokens).hasNumberOfRows(3);
        for (long[] row : tokens) {
            assertThat(row).hasSize(5);
            assertThat(java.util.Arrays.stream(row).allMatch(t -> t >= 0 && t < SMALL.vocabularySize())).isTrue();
        }
    }

    @Test
    void beamOfWidthOneMakesGreedyChoices() {
        float[][] features = Workloads.features(2, SMALL.featureSize(), 4);
        assertThat(decoder.beam(features, 1, 6)).isDeepEqualTo(decoder.greedy(features, 6));
    }

    @Test
    void beamEmitsOneSequencePerImage() {
        long[][] tokens = decoder.beam(Workloads.features(2, SMALL.featureSize(), 2), 3, 4);
        assertThat(tokens).hasNumberOfRows(2);
        assertThat(tokens[0]).hasSize(4);
    }

    @Test
    void repeatedDecodingLeavesNoLiveNDArrays() {
        float[][] features = Workloads.features(2, SMALL.featureSize(), 3);
        decoder.beam(features, 3, 4);
        decoder.greedy(features, 4);
        long before = NativeMemory.liveNDArrays();
        for (int i = 0; i < 10; i++) {
            decoder.beam(features, 3, 4);
            decoder.greedy(features, 4);
        }
        assertThat(before).isPositive();
        assertThat(NativeMemory.liveNDArrays()).isEqualTo(before);
    }
}
