package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.DecodingOptions;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.search.CaptionSearch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProjectDecodingTest {

    private static final ModelShape SMALL = new ModelShape("small", 40, 8, 16, 12);

    @ParameterizedTest
    @ValueSource(strings = {"greedy", "beam3", "beam10"})
    void everyDecodeMakesExactlySixteenSteps(String search) {
        try (LstmCaptionDecoder decoder = ProjectDecoding.decoder(SMALL, 1)) {
            CountingDecoder counting = new CountingDecoder(decoder);
            ProjectDecoding.search(search).decode(counting, Workloads.features(3, SMALL.featureSize(), 2));
            assertThat(counting.steps()).isEqualTo(Workloads.STEPS);
        }
    }

    @Test
    void checkRejectsASearchThatEndsEarly() {
        try (LstmCaptionDecoder decoder = ProjectDecoding.decoder(SMALL, 1)) {
            CaptionSearch shortSearch = CaptionSearch.of(DecodingOptions.builder().optMaxLength(3).build());
            assertThatThrownBy(() -> ProjectDecoding.checkFixedSteps(decoder, shortSearch,
                    Workloads.features(1, SMALL.featureSize(), 2)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("expected 16");
        }
    }
}
