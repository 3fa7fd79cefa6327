package io.captioner.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds {@link Report}s from made-up figures, so the report's assembly is tested without running JMH. */
final class Reports {

    /** The made-up GEMM rate at every row count: 100 GFLOP/s. */
    static final double GEMM_RATE = 100e9;
    /** The made-up bandwidth: 50 GB/s. */
    static final double BANDWIDTH = 50e9;

    private Reports() {}

    /** Roofline figures for both decoder shapes at every row count the decoding benchmark uses. */
    static Map<String, Suite.RooflineFigures> roofline() {
        Map<String, Suite.RooflineFigures> figures = new LinkedHashMap<>();
        for (ModelShape shape : List.of(ModelShape.FLICKR8K, ModelShape.LARGE)) {
            Map<Integer, Roofline.StepGemm> gemm = new LinkedHashMap<>();
            for (int rows : Suite.rowCounts()) {
                double seconds = shape.stepFlops(rows) / GEMM_RATE;
                gemm.put(rows, new Roofline.StepGemm(rows, seconds / 2, seconds / 2, GEMM_RATE));
            }
            figures.put(shape.name(), new Suite.RooflineFigures(shape, BANDWIDTH, BANDWIDTH / 2, BANDWIDTH / 2, gemm));
        }
        return figures;
    }

    /** A decoding score in milliseconds per decode, with its best iteration 10% faster. */
    static BenchmarkScore decoding(String impl, String model, String search, int batch, String device, double ms) {
        return new BenchmarkScore(Report.DECODING, Map.of("impl", impl, "model", model, "search", search,
                "batch", Integer.toString(batch), "device", device), ms, ms / 20, ms * 0.9);
    }

    /** A project decoding score at a precision and kernel, in milliseconds per decode. */
    static BenchmarkScore decoding(String model, String search, int batch, String precision, String kernel, double ms) {
        return new BenchmarkScore(Report.DECODING, Map.of("impl", "project", "model", model, "search", search,
                "batch", Integer.toString(batch), "device", "cpu", "precision", precision, "kernel", kernel), ms,
                ms / 20, ms * 0.9);
    }

    /** An attention decoding score in milliseconds per decode. */
    static BenchmarkScore attention(String map, String search, int batch, double ms) {
        return new BenchmarkScore(Report.ATTENTION, Map.of("map", map, "search", search, "batch",
                Integer.toString(batch), "device", "cpu"), ms, ms / 20, ms * 0.9);
    }

    /** A report of the given scores and skipped configurations, with no memory figures or soaks. */
    static Report report(List<BenchmarkScore> scores, String gpuSkip, List<Report.Skipped> skipped) {
        List<JsonObject> memory = List.of();
        return new Report("quick", Instant.parse("2026-12-05T10:00:00Z"), Instant.parse("2026-12-05T10:05:00Z"),
                roofline(), GEMM_RATE, scores, memory, List.of(), new JsonArray(), gpuSkip, skipped);
    }
}
