package io.captioner.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;

/**
 * One JMH result reduced to what {@link Report} reads: which benchmark class, the configuration's
 * parameters and its scores. Keeping JMH's types out of the report lets tests assemble a report
 * from plain figures.
 *
 * @param benchmark the benchmark class's simple name, such as {@code DecodingBenchmark}
 * @param params the configuration's JMH parameters, by name
 * @param ms the mean score (the benchmarks report milliseconds per call)
 * @param error the half-width of JMH's 99.9% interval, or null when it is not finite
 * @param bestMs the fastest measurement iteration, or null when there was none
 */
record BenchmarkScore(String benchmark, Map<String, String> params, double ms, Double error, Double bestMs) {

    BenchmarkScore {
        params = Map.copyOf(params);
    }

    /**
     * Reduces a JMH result.
     *
     * @param r the result of one configuration
     * @return its scores
     */
    static BenchmarkScore of(RunResult r) {
        // the label is package.Class.method
        String[] label = r.getParams().getBenchmark().split("\\.");
        String benchmark = label.length >= 2 ? label[label.length - 2] : label[0];
        Map<String, String> params = new LinkedHashMap<>();
        for (String key : r.getParams().getParamsKeys()) {
            params.put(key, r.getParams().getParam(key));
        }
        double best = Double.MAX_VALUE;
        for (var br : r.getBenchmarkResults()) {
            for (var ir : br.getIterationResults()) {
                best = Math.min(best, ir.getPrimaryResult().getScore());
            }
        }
        double error = r.getPrimaryResult().getScoreError();
        return new BenchmarkScore(benchmark, params, r.getPrimaryResult().getScore(),
                Double.isFinite(error) ? error : null, best == Double.MAX_VALUE ? null : best);
    }

    /**
     * Returns whether this is a finite score of the given benchmark with every given parameter.
     *
     * @param name the benchmark class's simple name
     * @param want parameter values that must all match; others are ignored
     * @return the verdict
     */
    boolean matches(String name, Map<String, String> want) {
        if (!benchmark.equals(name) || !Double.isFinite(ms)) {
            return false;
        }
        for (Map.Entry<String, String> e : want.entrySet()) {
            if (!e.getValue().equals(params.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
