package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report's additions of issues 15 and 20: a decoding row per precision and kernel with its
 * bandwidth bound in that precision, the new targets, the attention rows against their roofline,
 * and the top-level training list.
 */
class Issue20ReportTest {

    private static List<JsonObject> rows(Report report, String key) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : report.json().getAsJsonArray(key)) {
            out.add(e.getAsJsonObject());
        }
        return out;
    }

    private static JsonObject row(Report report, String search, int batch, String precision, String kernel) {
        for (JsonObject o : rows(report, "decoding")) {
            if (o.get("model").getAsString().equals("flickr8k") && o.get("search").getAsString().equals(search)
                    && o.get("batch").getAsInt() == batch && o.get("precision").getAsString().equals(precision)
                    && o.get("kernel").getAsString().equals(kernel)) {
                return o;
            }
        }
        throw new AssertionError("no row " + search + "/" + batch + "/" + precision + "/" + kernel);
    }

    @Test
    void everyPrecisionAndKernelGetsItsOwnRowWithItsBandwidthBoundAndRatioToFp32() {
        Report report = Reports.report(List.of(
                Reports.decoding("project", "flickr8k", "greedy", 1, "cpu", 3.2),
                Reports.decoding("flickr8k", "greedy", 1, "int8", "vector", 1.6),
                Reports.decoding("naive", "flickr8k", "greedy", 1, "cpu", 32.0)), null, List.of());

        JsonObject fp32 = row(report, "greedy", 1, "fp32", "auto");
        JsonObject int8 = row(report, "greedy", 1, "int8", "vector");
        assertThat(fp32.has("projectVsFp32Default")).isFalse();
        assertThat(int8.get("projectVsFp32Default").getAsDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(int8.get("naiveMsPerDecode").getAsDouble()).as("the naive loop is float32 in every row").isEqualTo(32.0);
        double bytes32 = ModelShape.FLICKR8K.stepWeightBytes();
        double bytes8 = ModelShape.FLICKR8K.stepWeightBytes(io.captioner.models.decoder.Precision.INT8);
        assertThat(int8.get("rooflineBandwidthBoundUs").getAsDouble() / fp32.get("rooflineBandwidthBoundUs").getAsDouble())
                .isCloseTo(bytes8 / bytes32, within(1e-9));
        assertThat(bytes8 / bytes32).isBetween(0.25, 0.27);
        assertThat(int8.get("projectVsBandwidthBound").getAsDouble())
                .isCloseTo(100.0 / int8.get("rooflineBandwidthBoundUs").getAsDouble(), within(1e-9));
        assertThat(rows(report, "decoding")).filteredOn(o -> o.get("precision").getAsString().equals("int8")).hasSize(1);
        assertThat(report.markdown()).contains("| flickr8k | greedy | 1 | 1 | int8 | vector → ");
    }

    @Test
    void theIssue20DecodingTargetsAreJudgedPerPrecisionAndKernel() {
        double bound = ModelShape.FLICKR8K.stepWeightBytes() / Reports.BANDWIDTH * 1e6; // µs
        Report report = Reports.report(List.of(
                Reports.decoding("project", "flickr8k", "greedy", 1, "cpu", 16 * bound * 1.1 / 1000),
                Reports.decoding("project", "flickr8k", "beam5", 1, "cpu", 16 * bound * 1.1 * 2.5 / 1000),
                Reports.decoding("flickr8k", "greedy", 1, "int8", "vector", 16 * bound * 1.1 * 0.5 / 1000),
                Reports.decoding("flickr8k", "greedy", 16, "int8", "vector", 10.0),
                Reports.decoding("flickr8k", "greedy", 16, "int8", "torch", 9.0)), null, List.of());

        assertThat(report.targets).anySatisfy(t -> {
            assertThat(t.name()).contains("fp32/auto: time per step vs bandwidth bound");
            assertThat(t.met()).isTrue();
        });
        assertThat(report.targets).anySatisfy(t -> {
            assertThat(t.name()).contains("beam 5 vs greedy").contains("fp32/auto").contains("issue 20");
            assertThat(t.met()).isFalse();
        });
        assertThat(report.targets).anySatisfy(t -> {
            assertThat(t.name()).contains("int8/vector vs fp32/auto");
            assertThat(t.met()).isTrue();
        });
        assertThat(report.targets).anySatisfy(t -> {
            assertThat(t.name()).contains("greedy batch 16, int8/vector vs int8/torch");
            assertThat(t.met()).isFalse(); // 10 / 9 = 1.11 > 1.05
        });
    }

    @Test
    void attentionRowsCompareWithTheirOwnRooflineAndBatchOneIsATarget() {
        Report report = Reports.report(List.of(Reports.attention("vgg16", "greedy", 1, 4.0)), null, List.of());
        report.addAttention(Map.of("vgg16", 100e9, "resnet50", 100e9));

        List<JsonObject> att = rows(report, "attentionDecoding");
        assertThat(att).hasSize(8);
        JsonObject vgg = att.stream().filter(o -> o.get("map").getAsString().equals("vgg16")
                && o.get("search").getAsString().equals("greedy") && o.get("batch").getAsInt() == 1).findFirst().get();
        double bytes = AttentionShape.VGG16.stepWeightBytes() + AttentionShape.VGG16.mapBytes(1);
        assertThat(vgg.get("rooflineBandwidthBoundUs").getAsDouble()).isCloseTo(bytes / 100e9 * 1e6, within(1e-9));
        assertThat(vgg.get("projectUsPerStep").getAsDouble()).isCloseTo(250.0, within(1e-9));
        assertThat(vgg.get("projectVsRoofline").getAsDouble())
                .isCloseTo(250.0 / vgg.get("rooflineUsPerStep").getAsDouble(), within(1e-9));
        assertThat(report.targets).filteredOn(t -> t.name().startsWith("attention")).hasSize(1);
        assertThat(report.markdown()).contains("## Attention decoding").contains("| vgg16 14x14x512 | greedy | 1 | 1 | auto → torch |");
    }

    @Test
    void theTrainingListHoldsBothImplementationsAndTheirRatio() {
        TrainingThroughput.Settings s = TrainingThroughput.Settings.flickr8k();
        Report report = Reports.report(List.of(), null, List.of());
        report.addTraining(List.of(
                new TrainingThroughput.Result("project", s, 29360, 20.0, 1800.0, Map.of("forward", 8.0)),
                new TrainingThroughput.Result("naive", s, 29360, 50.0, 2600.0, Map.of("forward", 20.0))));

        List<JsonObject> training = rows(report, "training");
        assertThat(training).hasSize(1);
        JsonObject t = training.get(0);
        assertThat(t.get("projectCaptionsPerSecond").getAsDouble()).isCloseTo(1468.0, within(1e-9));
        assertThat(t.get("naiveCaptionsPerSecond").getAsDouble()).isCloseTo(587.2, within(1e-9));
        assertThat(t.get("projectVsNaive").getAsDouble()).isCloseTo(2.5, within(1e-9));
        assertThat(t.get("peakRssMiB").getAsDouble()).isEqualTo(1800.0);
        assertThat(t.get("captions").getAsInt()).isEqualTo(30000);
        assertThat(report.targets).anySatisfy(x -> {
            assertThat(x.name()).contains("training");
            assertThat(x.met()).isTrue();
        });
    }
}
