package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SuiteTest {

    private static final String NO_GPU = "device=gpu skipped: no CUDA device (test)";

    @Test
    void withoutAGpuEveryRunIsOnTheCpuAndEachGpuVariantIsSkipped() {
        Suite.Plan plan = Suite.plan(".*", Map.of(), NO_GPU);

        assertThat(plan.runs()).extracting(Suite.JmhRun::label).containsExactly("DecodingBenchmark impl=naive",
                "DecodingBenchmark impl=project", "EncoderBenchmark", "EndToEndBenchmark");
        assertThat(plan.runs()).allSatisfy(r -> assertThat(r.params().get("device")).containsExactly("cpu"));
        assertThat(plan.skipped()).hasSize(4).allSatisfy(s -> {
            assertThat(s.params()).containsEntry("device", "gpu");
            assertThat(s.reason()).isEqualTo(NO_GPU);
        });
    }

    @Test
    void askingOnlyForTheGpuWithoutOneRunsNothing() {
        Suite.Plan plan = Suite.plan(".*", Map.of("device", new String[] {"gpu"}), NO_GPU);

        assertThat(plan.runs()).isEmpty();
        assertThat(plan.skipped()).hasSize(4);
    }

    @Test
    void withAGpuBothDevicesRunAndNothingIsSkipped() {
        Suite.Plan plan = Suite.plan(".*", Map.of(), null);

        assertThat(plan.runs()).allSatisfy(r -> assertThat(r.params().get("device")).containsExactly("cpu", "gpu"));
        assertThat(plan.skipped()).isEmpty();
    }

    @Test
    void theDecodingBenchmarkRunsOncePerImplementationAsTheParamListsThem() {
        Suite.Plan plan = Suite.plan("Decoding.*", Map.of("impl", new String[] {"project"},
                "model", new String[] {"flickr8k"}), NO_GPU);

        assertThat(plan.runs()).singleElement().satisfies(r -> {
            assertThat(r.benchmark()).isEqualTo("DecodingBenchmark");
            assertThat(r.params().get("impl")).containsExactly("project");
            assertThat(r.params().get("model")).containsExactly("flickr8k");
        });
        assertThat(plan.skipped()).singleElement().satisfies(s -> assertThat(s.params())
                .containsExactlyInAnyOrderEntriesOf(Map.of("impl", "project", "model", "flickr8k", "device", "gpu")));
    }
}
