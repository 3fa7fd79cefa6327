package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static final String NO_GPU = "device=gpu skipped: no CUDA device (test)";

    private static JsonObject decodingRow(Report report, String model, String search, int batch) {
        for (JsonElement e : report.json().getAsJsonArray("decoding")) {
            JsonObject o = e.getAsJsonObject();
            if (o.get("model").getAsString().equals(model) && o.get("search").getAsString().equals(search)
                    && o.get("batch").getAsInt() == batch) {
                return o;
            }
        }
        throw new AssertionError("no decoding row " + model + "/" + search + "/" + batch);
    }

    @Test
    void projectAndNaiveScoresOfTheOneDecodingBenchmarkFillOneRowWithTheirRatio() {
        Report report = Reports.report(List.of(
                Reports.decoding("project", "flickr8k", "greedy", 1, "cpu", 3.2),
                Reports.decoding("naive", "flickr8k", "greedy", 1, "cpu", 32.0)), null, List.of());

        JsonObject row = decodingRow(report, "flickr8k", "greedy", 1);

        assertThat(row.get("projectMsPerDecode").getAsDouble()).isEqualTo(3.2);
        assertThat(row.get("naiveMsPerDecode").getAsDouble()).isEqualTo(32.0);
        assertThat(row.get("projectUsPerStep").getAsDouble()).isCloseTo(200.0, within(1e-9));
        assertThat(row.get("naiveBestIterationMs").getAsDouble()).isCloseTo(28.8, within(1e-9));
        assertThat(row.get("naiveVsProject").getAsDouble()).isCloseTo(10.0, within(1e-9));
        assertThat(report.targets).anySatisfy(t -> {
            assertThat(t.name()).contains("speed-up over the naive loop");
            assertThat(t.met()).isTrue();
        });
    }

    @Test
    void aConfigurationWithOnlyOneImplementationMeasuredHasNoRatio() {
        Report report = Reports.report(List.of(Reports.decoding("project", "large", "beam3", 16, "cpu", 50.0)),
                null, List.of());

        JsonObject row = decodingRow(report, "large", "beam3", 16);

        assertThat(row.has("projectMsPerDecode")).isTrue();
        assertThat(row.has("naiveMsPerDecode")).isFalse();
        assertThat(row.has("naiveVsProject")).isFalse();
    }

    @Test
    void aGpuScoreIsNotReadAsTheCpuRow() {
        Report report = Reports.report(List.of(Reports.decoding("project", "flickr8k", "greedy", 1, "gpu", 0.001)),
                null, List.of());

        assertThat(decodingRow(report, "flickr8k", "greedy", 1).has("projectMsPerDecode")).isFalse();
    }

    @Test
    void aGpuRunWithoutAGpuIsListedAsSkippedWithItsReasonAndNoTime() {
        Suite.Plan plan = Suite.plan(".*", Map.of(), NO_GPU);

        Report report = Reports.report(List.of(), NO_GPU, plan.skipped());

        List<JsonObject> skipped = new ArrayList<>();
        report.json().getAsJsonArray("skipped").forEach(e -> skipped.add(e.getAsJsonObject()));
        assertThat(skipped).extracting(o -> o.get("benchmark").getAsString())
                .containsExactly("DecodingBenchmark", "DecodingBenchmark", "AttentionDecodingBenchmark", "EncoderBenchmark",
                        "EndToEndBenchmark");
        assertThat(skipped).allSatisfy(o -> {
            assertThat(o.get("status").getAsString()).isEqualTo("skipped");
            assertThat(o.get("reason").getAsString()).isEqualTo(NO_GPU);
            assertThat(o.getAsJsonObject("params").get("device").getAsString()).isEqualTo("gpu");
            assertThat(o.keySet()).containsExactlyInAnyOrder("benchmark", "params", "status", "reason");
        });
        assertThat(report.json().getAsJsonObject("machine").get("gpuSkipped").getAsString()).isEqualTo(NO_GPU);
        assertThat(report.json().getAsJsonArray("decoding"))
                .allSatisfy(e -> assertThat(e.getAsJsonObject().get("device").getAsString()).isEqualTo("cpu"));
    }

    @Test
    void theMarkdownHasASkippedRowPerGpuRunWithTheReason() {
        Report report = Reports.report(List.of(), NO_GPU, Suite.plan("Decoding.*", Map.of(), NO_GPU).skipped());

        assertThat(report.markdown()).contains("## Skipped")
                .contains("| DecodingBenchmark | impl=naive, device=gpu | skipped | " + NO_GPU + " |")
                .contains("| DecodingBenchmark | impl=project, device=gpu | skipped | " + NO_GPU + " |");
    }

    @Test
    void aRunWithNothingSkippedHasAnEmptySkippedListAndNoSection() {
        Report report = Reports.report(List.of(), null, List.of());

        assertThat(report.json().getAsJsonArray("skipped")).isEmpty();
        assertThat(report.markdown()).doesNotContain("## Skipped");
    }
}
