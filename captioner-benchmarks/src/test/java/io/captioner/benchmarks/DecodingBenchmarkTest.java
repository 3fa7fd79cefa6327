package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.captioner.models.decoder.InferenceSettings;
import io.captioner.search.SearchResult;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

class DecodingBenchmarkTest {

    private static final ModelShape SMALL = new ModelShape("small", 40, 8, 16, 12);

    private static String[] params(String field) throws NoSuchFieldException {
        return DecodingBenchmark.class.getField(field).getAnnotation(Param.class).value();
    }

    @Test
    void theParametersCoverEveryConfigurationOfTheFormerTwoBenchmarks() throws NoSuchFieldException {
        assertThat(params("impl")).containsExactlyInAnyOrder("project", "naive");
        assertThat(params("model")).containsExactly("flickr8k", "large");
        assertThat(params("search")).containsExactly("greedy", "beam3", "beam5", "beam10");
        assertThat(params("batch")).containsExactly("1", "16", "64");
        assertThat(params("device")).containsExactly("cpu");
    }

    @Test
    void theProjectImplementationReturnsOneSearchResultPerImage() {
        float[][] features = Workloads.features(3, SMALL.featureSize(), 2);
        try (Decoding d = Decoding.create("project", SMALL, "beam3", Device.cpu(), InferenceSettings.defaults())) {
            d.checkFixedSteps(features);
            assertThat((List<?>) d.decode(features)).hasSize(3).hasOnlyElementsOfType(SearchResult.class);
        }
    }

    @Test
    void theNaiveImplementationReturnsSixteenTokensPerImage() {
        float[][] features = Workloads.features(3, SMALL.featureSize(), 2);
        try (Decoding d = Decoding.create("naive", SMALL, "beam3", Device.cpu(), InferenceSettings.defaults())) {
            d.checkFixedSteps(features);
            long[][] tokens = (long[][]) d.decode(features);
            assertThat(tokens).hasNumberOfRows(3);
            assertThat(tokens[0]).hasSize(Workloads.STEPS);
        }
    }

    @Test
    void anUnknownImplementationIsRefusedNamingTheChoices() {
        assertThatThrownBy(() -> Decoding.create("fused", SMALL, "greedy", Device.cpu(), InferenceSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("impl must be project or naive, found 'fused'");
    }

    @Test
    void aGpuConfigurationWithoutAGpuFailsInSetupSoJmhReportsNoTime() {
        Assumptions.assumeTrue(Devices.gpuCount() == 0, "this machine has a CUDA device: the gpu variant runs");
        DecodingBenchmark b = new DecodingBenchmark();
        b.impl = "project";
        b.model = "flickr8k";
        b.search = "greedy";
        b.batch = 1;
        b.device = "gpu";

        assertThatThrownBy(b::setUp).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("device=gpu skipped").hasMessageContaining("reports no time");
    }
}
