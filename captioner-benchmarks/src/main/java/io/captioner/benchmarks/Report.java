package io.captioner.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.captioner.models.decoder.AttentionCaptionDecoder;
import io.captioner.models.decoder.InferenceSettings;
import io.captioner.models.decoder.Precision;
import io.captioner.models.decoder.StepKernel;

/**
 * Turns the suite's measurements into the results files: one JSON document, a Markdown summary
 * and the rows the chart draws. Every ratio is computed from figures measured in the same run;
 * a figure that was not measured is left out rather than guessed, and a configuration that could
 * not run here (a GPU one without a GPU) is listed as skipped with its reason, never with a time.
 */
final class Report {

    /** Multiply-adds of VGG-16 up to fc7 at 224x224, counted over conv and linear layers. */
    static final double VGG16_MACS = 15_466_168_320.0;
    /** Multiply-adds of ResNet-50 up to global pooling at 224x224, counted over conv layers. */
    static final double RESNET50_MACS = 4_087_136_256.0;

    private final String mode;
    private final Instant started;
    private final Instant finished;
    private final Map<String, Suite.RooflineFigures> roofline;
    private final double peakGemm;
    private final List<BenchmarkScore> results;
    private final List<JsonObject> memory;
    private final List<LeakCheck.Result> leak;
    private final JsonArray notes;
    private final String gpuSkip;
    private final List<Skipped> skipped;
    final List<DecodingRow> decoding = new ArrayList<>();
    final List<EncoderRow> encoders = new ArrayList<>();
    Double endToEndMs;
    Double endToEndError;
    final List<Target> targets = new ArrayList<>();
    private final Map<String, Double> bestMs = new java.util.HashMap<>();

    /** The decoding benchmark, whose {@code impl} parameter picks the project's decoder or the naive loop. */
    static final String DECODING = DecodingBenchmark.class.getSimpleName();
    /** The attention decoder's benchmark (issue 15). */
    static final String ATTENTION = AttentionDecodingBenchmark.class.getSimpleName();

    /** The project decoder's default precision and kernel, as DecodingBenchmark's parameters say them. */
    static final String DEFAULT_PRECISION = "fp32";
    static final String DEFAULT_KERNEL = "auto";

    private static String key(String impl, String model, String search, int batch, String precision, String kernel) {
        return impl + "/" + model + "/" + search + "/" + batch + "/" + precision + "/" + kernel;
    }

    Report(String mode, Instant started, Instant finished, Map<String, Suite.RooflineFigures> roofline,
            double peakGemm, List<BenchmarkScore> results, List<JsonObject> memory, List<LeakCheck.Result> leak,
            JsonArray notes, String gpuSkip, List<Skipped> skipped) {
        this.mode = mode;
        this.started = started;
        this.finished = finished;
        this.roofline = roofline;
        this.peakGemm = peakGemm;
        this.results = results;
        this.memory = memory;
        this.leak = leak;
        this.notes = notes;
        this.gpuSkip = gpuSkip;
        this.skipped = List.copyOf(skipped);
        collect();
        judge();
    }

    /**
     * One decoding configuration: project, naive and roofline time per step. {@code precision} and
     * {@code kernel} are the project decoder's parameters; the naive loop is float32 in every row,
     * and the bandwidth bound counts the step weights in the row's precision.
     */
    record DecodingRow(String model, String search, int batch, String device, int rows,
            Double projectMs, Double projectError, Double naiveMs, Double naiveError, double rooflineStepUs,
            double bandwidthBoundUs, double gemmBoundUs, double gemmRate, double stepFlops, String precision,
            String kernel) {

        /** Whether this row is the SDK's default decoder (float32, the {@code auto} kernel). */
        boolean isDefault() {
            return precision.equals(DEFAULT_PRECISION) && kernel.equals(DEFAULT_KERNEL);
        }

        Double projectStepUs() {
            return projectMs == null ? null : projectMs * 1000 / Workloads.STEPS;
        }

        Double naiveStepUs() {
            return naiveMs == null ? null : naiveMs * 1000 / Workloads.STEPS;
        }

        Double achievedGemmFraction() {
            Double us = projectStepUs();
            return us == null ? null : stepFlops / (us * 1e-6) / gemmRate;
        }
    }

    /** One encoder configuration. */
    record EncoderRow(String arch, int batch, String input, String device, double ms, double error,
            double flopsPerImage, double peakGemm) {

        double gflops() {
            return flopsPerImage * batch / (ms / 1000) / 1e9;
        }

        double peakFraction() {
            return gflops() * 1e9 / peakGemm;
        }
    }

    /** A target of issue 8 and its measured figure. */
    record Target(String name, String rule, String measured, Boolean met, String limit) {}

    /**
     * Configurations the suite did not run because this machine cannot (a {@code device=gpu}
     * configuration where DJL sees no CUDA device); they appear in the results with the reason and
     * never with a time.
     *
     * @param benchmark the benchmark class's simple name
     * @param params the parameters fixing what was skipped (e.g. {@code device=gpu}); every other
     *     parameter took all its values
     * @param reason why, as a sentence
     */
    record Skipped(String benchmark, Map<String, String> params, String reason) {

        Skipped {
            params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }

        /** The parameters as {@code name=value, ...}. */
        String configuration() {
            StringBuilder sb = new StringBuilder();
            params.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v));
            return sb.toString();
        }
    }

    private BenchmarkScore find(String benchmark, Map<String, String> params) {
        for (BenchmarkScore r : results) {
            if (r.matches(benchmark, params)) {
                return r;
            }
        }
        return null;
    }

    private static Double score(BenchmarkScore r) {
        return r == null ? null : r.ms();
    }

    /** The fastest measurement iteration, less disturbed by other work than the mean. */
    private static Double best(BenchmarkScore r) {
        return r == null ? null : r.bestMs();
    }

    private static Double error(BenchmarkScore r) {
        return r == null ? null : r.error();
    }

    /**
     * The project decoder's (precision, kernel) pairs that have results for a model, the default
     * pair first (it gets a row even without results, to show the roofline).
     */
    private List<String[]> variants(String model) {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {DEFAULT_PRECISION, DEFAULT_KERNEL});
        for (BenchmarkScore r : results) {
            if (r.benchmark().equals(DECODING) && Decoding.PROJECT.equals(r.params().get("impl"))
                    && model.equals(r.params().get("model"))) {
                String p = r.params().getOrDefault("precision", DEFAULT_PRECISION);
                String k = r.params().getOrDefault("kernel", DEFAULT_KERNEL);
                if (out.stream().noneMatch(v -> v[0].equals(p) && v[1].equals(k))) {
                    out.add(new String[] {p, k});
                }
            }
        }
        return out;
    }

    /** A project result with these parameters; a result without precision or kernel has the defaults. */
    private BenchmarkScore findProject(Map<String, String> params, String precision, String kernel) {
        for (BenchmarkScore r : results) {
            if (r.matches(DECODING, with(params, "impl", Decoding.PROJECT))
                    && r.params().getOrDefault("precision", DEFAULT_PRECISION).equals(precision)
                    && r.params().getOrDefault("kernel", DEFAULT_KERNEL).equals(kernel)) {
                return r;
            }
        }
        return null;
    }

    private void collect() {
        for (Suite.RooflineFigures fig : roofline.values()) {
            ModelShape shape = fig.shape();
            for (String[] variant : variants(shape.name())) {
                String precision = variant[0];
                String kernel = variant[1];
                boolean isDefault = precision.equals(DEFAULT_PRECISION) && kernel.equals(DEFAULT_KERNEL);
                for (String search : new String[] {"greedy", "beam3", "beam5", "beam10"}) {
                    for (int batch : new int[] {1, 16, 64}) {
                        int rows = batch * Workloads.beamWidth(search);
                        Map<String, String> p = Map.of("model", shape.name(), "search", search,
                                "batch", Integer.toString(batch), "device", Devices.CPU);
                        BenchmarkScore project = findProject(p, precision, kernel);
                        if (project == null && !isDefault) {
                            continue;
                        }
                        // the naive loop is float32 whatever the project's precision and kernel
                        BenchmarkScore naive = find(DECODING, with(p, "impl", Decoding.NAIVE));
                        bestMs.put(key("project", shape.name(), search, batch, precision, kernel), best(project));
                        bestMs.put(key("naive", shape.name(), search, batch, precision, kernel), best(naive));
                        double gemmRate = fig.gemm().get(rows).flopsPerSecond();
                        double bw = shape.stepWeightBytes(precisionOf(precision)) / fig.bandwidth() * 1e6;
                        double gemm = shape.stepFlops(rows) / gemmRate * 1e6;
                        decoding.add(new DecodingRow(shape.name(), search, batch, "cpu", rows, score(project),
                                error(project), score(naive), error(naive), Math.max(bw, gemm), bw, gemm, gemmRate,
                                shape.stepFlops(rows), precision, kernel));
                    }
                }
            }
        }
        for (String arch : new String[] {"vgg16", "resnet50"}) {
            double flops = 2 * (arch.equals("vgg16") ? VGG16_MACS : RESNET50_MACS);
            for (int batch : new int[] {1, 8}) {
                for (String input : new String[] {"tensor", "jpeg"}) {
                    BenchmarkScore r = find("EncoderBenchmark", Map.of("arch", arch, "batch", Integer.toString(batch),
                            "input", input, "device", "cpu"));
                    if (r != null) {
                        encoders.add(new EncoderRow(arch, batch, input, "cpu", score(r),
                                error(r) == null ? 0 : error(r), flops, peakGemm));
                    }
                }
            }
        }
        BenchmarkScore e2e = find("EndToEndBenchmark", Map.of("device", "cpu"));
        endToEndMs = score(e2e);
        endToEndError = error(e2e);
    }

    private static Map<String, String> with(Map<String, String> params, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(params);
        m.put(key, value);
        return m;
    }

    private DecodingRow row(String model, String search, int batch) {
        return row(model, search, batch, DEFAULT_PRECISION, DEFAULT_KERNEL);
    }

    private DecodingRow row(String model, String search, int batch, String precision, String kernel) {
        for (DecodingRow r : decoding) {
            if (r.model.equals(model) && r.search.equals(search) && r.batch == batch && r.precision.equals(precision)
                    && r.kernel.equals(kernel)) {
                return r;
            }
        }
        return null;
    }

    /** The precision a benchmark parameter names; an unknown name counts as float32 (a parameter typo fails in JMH). */
    static Precision precisionOf(String name) {
        try {
            return Precision.parse(name);
        } catch (IllegalArgumentException e) {
            return Precision.FP32;
        }
    }

    /** The kernel that ran for a row's parameters in this JVM (the suite's forks get the same JVM options). */
    static String resolvedKernel(String kernel, String precision) {
        try {
            return StepKernel.parse(kernel).resolve(precisionOf(precision)).id();
        } catch (IllegalArgumentException e) {
            return kernel;
        }
    }

    /** The kernel that ran for an attention row, as the attention decoder resolves it. */
    static String resolvedAttentionKernel(String kernel) {
        try {
            return AttentionCaptionDecoder.kernelFor(
                    new InferenceSettings(Precision.FP32, StepKernel.parse(kernel), 1)).id();
        } catch (IllegalArgumentException e) {
            return kernel;
        }
    }

    private void judge() {
        DecodingRow greedy = row("flickr8k", "greedy", 1);
        if (greedy.projectMs() != null) {
            double ratio = greedy.projectStepUs() / greedy.rooflineStepUs();
            targets.add(new Target("greedy, batch 1, flickr8k: time per step vs roofline", "<= 1.5x",
                    fmt("%.2fx (%.1f µs vs %.1f µs)", ratio, greedy.projectStepUs(), greedy.rooflineStepUs()),
                    ratio <= 1.5, ratio <= 1.5 ? "" : "see README: per-step overhead"));
        } else {
            targets.add(new Target("greedy, batch 1, flickr8k: time per step vs roofline", "<= 1.5x",
                    "not measured (project decoder not in this build)", null, ""));
        }
        if (greedy.projectMs() != null && greedy.naiveMs() != null) {
            double speedup = greedy.naiveMs() / greedy.projectMs();
            targets.add(new Target("greedy, batch 1, flickr8k: speed-up over the naive loop", ">= 3x",
                    fmt("%.2fx (naive %.1f µs/step)", speedup, greedy.naiveStepUs()), speedup >= 3, ""));
        }
        DecodingRow beam5 = row("flickr8k", "beam5", 1);
        if (beam5.projectMs() != null && greedy.projectMs() != null) {
            double ratio = beam5.projectMs() / greedy.projectMs();
            targets.add(new Target("beam 5 vs greedy, batch 1, flickr8k: time per caption", "<= 2.5x",
                    fmt("%.2fx (%.2f ms vs %.2f ms)", ratio, beam5.projectMs(), greedy.projectMs()), ratio <= 2.5, ""));
        }
        for (String model : new String[] {"flickr8k", "large"}) {
            DecodingRow b = row(model, "beam3", 64);
            if (b.projectMs() != null) {
                double f = b.achievedGemmFraction();
                targets.add(new Target("batch 64, beam 3, " + model + ": share of measured GEMM rate", ">= 60%",
                        fmt("%.0f%% (%.2f of %.2f GFLOP/s at %d rows)", 100 * f,
                                f * b.gemmRate() / 1e9, b.gemmRate() / 1e9, b.rows()), f >= 0.6, ""));
            }
        }
        judgeIssue20();
        for (EncoderRow e : encoders) {
            if (e.arch.equals("resnet50") && e.batch == 8 && e.input.equals("tensor")) {
                double f = e.peakFraction();
                targets.add(new Target("ResNet-50 forward, batch 8: share of measured GEMM rate", ">= 40%",
                        fmt("%.0f%% (%.2f of %.2f GFLOP/s)", 100 * f, e.gflops(), peakGemm / 1e9), f >= 0.4, ""));
            }
        }
        for (LeakCheck.Result leak : this.leak) {
            boolean arraysFlat = leak.arraysAfter() == leak.arraysAfterWarmup();
            long growth = leak.rssAfterKiB() - leak.rssAfterWarmupKiB();
            boolean rssFlat = growth < 0.02 * leak.rssAfterWarmupKiB();
            targets.add(new Target("native memory flat (" + leak.workload() + ", " + leak.rounds() + " calls)",
                    "NDArrays equal, RSS growth < 2%",
                    fmt("NDArrays %d -> %d, RSS %d -> %d MiB", leak.arraysAfterWarmup(), leak.arraysAfter(),
                            leak.rssAfterWarmupKiB() / 1024, leak.rssAfterKiB() / 1024), arraysFlat && rssFlat, ""));
        }
        if (memory.size() >= 2) {
            JsonObject first = memory.get(0);
            JsonObject last = memory.get(memory.size() - 1);
            long a0 = first.get("liveNDArrays").getAsLong();
            long a1 = last.get("liveNDArrays").getAsLong();
            targets.add(new Target("NDArrays at start and end of the whole run", "equal",
                    fmt("%d -> %d (RSS %d -> %d MiB)", a0, a1, first.get("rssKiB").getAsLong() / 1024,
                            last.get("rssKiB").getAsLong() / 1024), a0 == a1, ""));
        }
    }

    /**
     * The decoding targets of issue 20, for every precision and kernel measured: greedy batch 1
     * within 1.2x of its bandwidth bound, beam 5 within 2x of greedy per caption, reduced precision
     * greedy at most 0.6x float32's step time (the default kernel's), and batches of 16 to 64 rows
     * within 5% of the PyTorch kernel's time.
     */
    private void judgeIssue20() {
        for (DecodingRow g : decoding) {
            if (!g.model.equals("flickr8k") || !g.search.equals("greedy") || g.batch != 1 || g.projectMs == null) {
                continue;
            }
            String v = g.precision + "/" + g.kernel;
            double ratio = g.projectStepUs() / g.bandwidthBoundUs;
            targets.add(new Target("greedy, batch 1, flickr8k, " + v + ": time per step vs bandwidth bound (issue 20)",
                    "<= 1.2x", fmt("%.2fx (%.1f µs vs %.1f µs)", ratio, g.projectStepUs(), g.bandwidthBoundUs),
                    ratio <= 1.2, ""));
            DecodingRow b5 = row(g.model, "beam5", 1, g.precision, g.kernel);
            if (b5 != null && b5.projectMs != null) {
                double r = b5.projectMs / g.projectMs;
                targets.add(new Target("beam 5 vs greedy, batch 1, flickr8k, " + v + ": time per caption (issue 20)",
                        "<= 2.0x", fmt("%.2fx (%.2f ms vs %.2f ms)", r, b5.projectMs, g.projectMs), r <= 2.0, ""));
            }
            DecodingRow fp32 = row(g.model, "greedy", 1, DEFAULT_PRECISION, DEFAULT_KERNEL);
            if (!g.precision.equals(DEFAULT_PRECISION) && fp32 != null && fp32.projectMs != null) {
                double r = g.projectMs / fp32.projectMs;
                targets.add(new Target("greedy, batch 1, flickr8k, " + v + " vs fp32/auto: time per step (issue 20)",
                        "<= 0.6x", fmt("%.2fx (%.1f µs vs %.1f µs)", r, g.projectStepUs(), fp32.projectStepUs()),
                        r <= 0.6, ""));
            }
        }
        for (DecodingRow r : decoding) {
            if (r.batch < 16 || r.projectMs == null || r.kernel.equals("torch")) {
                continue;
            }
            DecodingRow torch = row(r.model, r.search, r.batch, r.precision, "torch");
            if (torch != null && torch.projectMs != null) {
                double ratio = r.projectMs / torch.projectMs;
                targets.add(new Target(fmt("%s %s batch %d, %s/%s vs %s/torch (issue 20)", r.model, r.search, r.batch,
                        r.precision, r.kernel, r.precision), "<= 1.05x",
                        fmt("%.2fx (%.2f ms vs %.2f ms)", ratio, r.projectMs, torch.projectMs), ratio <= 1.05, ""));
            }
        }
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    JsonObject json() {
        JsonObject root = new JsonObject();
        root.addProperty("mode", mode);
        root.addProperty("started", started.toString());
        root.addProperty("finished", finished.toString());
        JsonObject machine = new JsonObject();
        machine.addProperty("cpu", Machine.cpuModel());
        machine.addProperty("cores", Runtime.getRuntime().availableProcessors());
        machine.addProperty("java", System.getProperty("java.version"));
        machine.addProperty("engine", ai.djl.engine.Engine.getInstance().getEngineName() + " "
                + ai.djl.engine.Engine.getInstance().getVersion());
        machine.addProperty("torchThreads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        machine.addProperty("ompWaitPolicy", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
        machine.addProperty("malloc", RssSoak.allocator());
        machine.addProperty("vectorApi", StepKernel.vectorAvailable());
        machine.add("cpuFlags", Machine.relevantCpuFlags());
        machine.addProperty("helperThreads", System.getProperty("captioner.decoder.helperThreads", "default"));
        machine.addProperty("splitMinRows", System.getProperty("captioner.decoder.splitMinRows", "default"));
        machine.addProperty("kernelProperty", System.getProperty(StepKernel.PROPERTY, "unset"));
        machine.addProperty("gpuCount", Devices.gpuCount());
        if (gpuSkip != null) {
            machine.addProperty("gpuSkipped", gpuSkip);
        }
        root.add("machine", machine);
        root.addProperty("stepsPerDecode", Workloads.STEPS);
        root.addProperty("timeUnit", "decode and encoder times in ms per call; step times in µs");
        JsonObject rf = new JsonObject();
        for (Suite.RooflineFigures fig : roofline.values()) {
            JsonObject o = new JsonObject();
            o.addProperty("stepWeightBytes", fig.shape().stepWeightBytes());
            o.addProperty("bandwidthNDArraySumGBps", fig.ndArraySum() / 1e9);
            o.addProperty("bandwidthDirectBuffer1ThreadGBps", fig.directOneThread() / 1e9);
            o.addProperty("bandwidthDirectBufferAllThreadsGBps", fig.directAllThreads() / 1e9);
            o.addProperty("bandwidthUsedGBps", fig.bandwidth() / 1e9);
            JsonArray g = new JsonArray();
            fig.gemm().forEach((rows, s) -> {
                JsonObject x = new JsonObject();
                x.addProperty("rows", rows);
                x.addProperty("gatesUs", s.gatesSeconds() * 1e6);
                x.addProperty("projectionUs", s.projectionSeconds() * 1e6);
                x.addProperty("gflops", s.flopsPerSecond() / 1e9);
                g.add(x);
            });
            o.add("stepGemm", g);
            rf.add(fig.shape().name(), o);
        }
        rf.addProperty("peakGemmGflops", peakGemm / 1e9);
        root.add("roofline", rf);
        JsonArray dec = new JsonArray();
        for (DecodingRow r : decoding) {
            JsonObject o = new JsonObject();
            o.addProperty("model", r.model);
            o.addProperty("search", r.search);
            o.addProperty("batch", r.batch);
            o.addProperty("rows", r.rows);
            o.addProperty("device", r.device);
            o.addProperty("precision", r.precision);
            o.addProperty("kernel", r.kernel);
            o.addProperty("kernelResolved", resolvedKernel(r.kernel, r.precision));
            if (r.projectMs != null) {
                o.addProperty("projectMsPerDecode", r.projectMs);
                o.addProperty("projectMsError", r.projectError);
                o.addProperty("projectUsPerStep", r.projectStepUs());
            }
            for (String impl : new String[] {"project", "naive"}) {
                Double b = bestMs.get(key(impl, r.model, r.search, r.batch, r.precision, r.kernel));
                if (b != null) {
                    o.addProperty(impl + "BestIterationMs", b);
                }
            }
            if (r.naiveMs != null) {
                o.addProperty("naiveMsPerDecode", r.naiveMs);
                o.addProperty("naiveMsError", r.naiveError);
                o.addProperty("naiveUsPerStep", r.naiveStepUs());
            }
            o.addProperty("rooflineUsPerStep", r.rooflineStepUs);
            o.addProperty("rooflineBandwidthBoundUs", r.bandwidthBoundUs);
            o.addProperty("rooflineGemmBoundUs", r.gemmBoundUs);
            o.addProperty("stepGflop", r.stepFlops / 1e9);
            o.addProperty("gemmRateGflops", r.gemmRate / 1e9);
            if (r.projectMs != null) {
                o.addProperty("projectVsRoofline", r.projectStepUs() / r.rooflineStepUs);
                o.addProperty("projectVsBandwidthBound", r.projectStepUs() / r.bandwidthBoundUs);
                o.addProperty("projectGemmFraction", r.achievedGemmFraction());
                DecodingRow fp32 = row(r.model, r.search, r.batch, DEFAULT_PRECISION, DEFAULT_KERNEL);
                if (!r.isDefault() && fp32 != null && fp32.projectMs != null) {
                    o.addProperty("projectVsFp32Default", r.projectMs / fp32.projectMs);
                }
            }
            if (r.naiveMs != null) {
                o.addProperty("naiveVsRoofline", r.naiveStepUs() / r.rooflineStepUs);
            }
            if (r.naiveMs != null && r.projectMs != null) {
                o.addProperty("naiveVsProject", r.naiveMs / r.projectMs);
            }
            dec.add(o);
        }
        root.add("decoding", dec);
        JsonArray att = new JsonArray();
        for (AttentionRow r : attention) {
            JsonObject o = new JsonObject();
            o.addProperty("map", r.shape().name());
            o.addProperty("mapShape", r.shape().mapHeight() + "x" + r.shape().mapWidth() + "x" + r.shape().channels());
            o.addProperty("search", r.search());
            o.addProperty("batch", r.batch());
            o.addProperty("rows", r.rows());
            o.addProperty("precision", DEFAULT_PRECISION);
            o.addProperty("kernel", r.kernel());
            o.addProperty("kernelResolved", resolvedAttentionKernel(r.kernel()));
            if (r.projectMs() != null) {
                o.addProperty("projectMsPerDecode", r.projectMs());
                o.addProperty("projectMsError", r.projectError());
                o.addProperty("projectUsPerStep", r.projectStepUs());
                o.addProperty("projectVsRoofline", r.projectStepUs() / r.rooflineUs());
            }
            if (r.bestMs() != null) {
                o.addProperty("projectBestIterationMs", r.bestMs());
            }
            o.addProperty("stepWeightBytes", r.shape().stepWeightBytes());
            o.addProperty("mapBytes", r.shape().mapBytes(r.batch()));
            o.addProperty("bandwidthGBps", r.bandwidth() / 1e9);
            o.addProperty("rooflineUsPerStep", r.rooflineUs());
            o.addProperty("rooflineBandwidthBoundUs", r.bandwidthBoundUs());
            o.addProperty("rooflineGemmBoundUs", r.gemmBoundUs());
            att.add(o);
        }
        root.add("attentionDecoding", att);
        JsonArray tr = new JsonArray();
        TrainingThroughput.Result project = trainingResult(TrainingThroughput.PROJECT);
        TrainingThroughput.Result naive = trainingResult(TrainingThroughput.NAIVE);
        if (project != null || naive != null) {
            TrainingThroughput.Settings st = (project != null ? project : naive).settings();
            JsonObject o = new JsonObject();
            o.addProperty("captions", st.captions());
            o.addProperty("images", st.images());
            o.addProperty("vocabulary", st.vocabulary());
            o.addProperty("embedding", st.embedding());
            o.addProperty("hidden", st.hidden());
            o.addProperty("feature", st.feature());
            o.addProperty("batch", st.batch());
            o.addProperty("warmupBatches", st.warmupBatches());
            if (project != null) {
                o.addProperty("projectCaptionsPerSecond", project.captionsPerSecond());
                o.addProperty("projectEpochSeconds", project.epochSeconds());
                o.addProperty("peakRssMiB", project.peakRssMiB());
                o.add("projectPhaseSeconds", new com.google.gson.Gson().toJsonTree(project.phases()));
            }
            if (naive != null) {
                o.addProperty("naiveCaptionsPerSecond", naive.captionsPerSecond());
                o.addProperty("naiveEpochSeconds", naive.epochSeconds());
                o.addProperty("naivePeakRssMiB", naive.peakRssMiB());
                o.add("naivePhaseSeconds", new com.google.gson.Gson().toJsonTree(naive.phases()));
            }
            if (project != null && naive != null) {
                o.addProperty("projectVsNaive", project.captionsPerSecond() / naive.captionsPerSecond());
            }
            tr.add(o);
        }
        root.add("training", tr);
        JsonArray enc = new JsonArray();
        for (EncoderRow e : encoders) {
            JsonObject o = new JsonObject();
            o.addProperty("arch", e.arch);
            o.addProperty("batch", e.batch);
            o.addProperty("input", e.input);
            o.addProperty("device", e.device);
            o.addProperty("msPerBatch", e.ms);
            o.addProperty("msError", e.error);
            o.addProperty("msPerImage", e.ms / e.batch);
            o.addProperty("gflopPerImage", e.flopsPerImage / 1e9);
            o.addProperty("achievedGflops", e.gflops());
            o.addProperty("peakGemmFraction", e.peakFraction());
            enc.add(o);
        }
        root.add("encoders", enc);
        if (endToEndMs != null) {
            JsonObject o = new JsonObject();
            o.addProperty("pipeline", "JPEG bytes -> decode + preprocess -> ResNet-50 -> beam 3 -> caption");
            o.addProperty("msPerCaption", endToEndMs);
            o.addProperty("msError", endToEndError);
            root.add("endToEnd", o);
        }
        JsonArray mem = new JsonArray();
        memory.forEach(mem::add);
        root.add("memory", mem);
        JsonArray leaks = new JsonArray();
        leak.forEach(l -> leaks.add(l.json()));
        root.add("leakCheck", leaks);
        root.add("rssSoak", RssSoak.jsonArray(soak));
        JsonArray t = new JsonArray();
        for (Target x : targets) {
            JsonObject o = new JsonObject();
            o.addProperty("target", x.name);
            o.addProperty("rule", x.rule);
            o.addProperty("measured", x.measured);
            if (x.met != null) {
                o.addProperty("met", x.met);
            }
            t.add(o);
        }
        root.add("targets", t);
        JsonArray sk = new JsonArray();
        for (Skipped x : skipped) {
            JsonObject o = new JsonObject();
            o.addProperty("benchmark", x.benchmark());
            JsonObject p = new JsonObject();
            x.params().forEach(p::addProperty);
            o.add("params", p);
            o.addProperty("status", "skipped");
            o.addProperty("reason", x.reason());
            sk.add(o);
        }
        root.add("skipped", sk);
        root.add("notes", notes);
        return root;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# captioner-benchmarks results (").append(mode).append(" mode)\n\n");
        md.append(fmt("Run %s to %s on %s (%s), %d cores, %s; torch threads %s, OMP_WAIT_POLICY %s, decoder helper"
                + " threads %s, allocator %s, Vector API %s. GPU: %s.%n%n",
                started, finished,
                Machine.cpuModel(), Machine.relevantCpuFlags().toString(), Runtime.getRuntime().availableProcessors(),
                ai.djl.engine.Engine.getInstance().getEngineName() + " " + ai.djl.engine.Engine.getInstance().getVersion(),
                System.getProperty("ai.djl.pytorch.num_threads", "default"), System.getenv("OMP_WAIT_POLICY"),
                System.getProperty("captioner.decoder.helperThreads", "default"), RssSoak.allocator(),
                StepKernel.vectorAvailable() ? "on" : "off",
                gpuSkip == null ? Devices.gpuCount() + " device(s)" : "skipped (no CUDA device)"));
        md.append("## Roofline\n\n| model | step weights | NDArray sum | direct buffer 1 thread | direct buffer all threads |"
                + " GEMM rows=1 | GEMM rows=64 | GEMM rows=192 |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Suite.RooflineFigures f : roofline.values()) {
            md.append(fmt("| %s | %.1f MB | %.1f GB/s | %.1f GB/s | %.1f GB/s | %.2f GFLOP/s | %.2f GFLOP/s | %.2f GFLOP/s |%n",
                    f.shape().name(), f.shape().stepWeightBytes() / 1e6, f.ndArraySum() / 1e9, f.directOneThread() / 1e9,
                    f.directAllThreads() / 1e9, f.gemm().get(1).flopsPerSecond() / 1e9,
                    f.gemm().get(64).flopsPerSecond() / 1e9, f.gemm().get(192).flopsPerSecond() / 1e9));
        }
        md.append(fmt("%nPeak GEMM rate (best of large products): %.2f GFLOP/s.%n%n", peakGemm / 1e9));
        md.append("## Decoding, time per step (16 steps per decode, cpu)\n\n"
                + "Precision and kernel are the project decoder's (kernel as asked → as run); the naive loop is"
                + " float32 in every row; the roofline's bandwidth bound counts the weights in the row's precision.\n\n"
                + "| model | search | batch | rows | precision | kernel | project µs/step | naive µs/step |"
                + " roofline µs/step | project/roofline | naive/project | GEMM share |\n"
                + "|---|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (DecodingRow r : decoding) {
            md.append(fmt("| %s | %s | %d | %d | %s | %s → %s | %s | %s | %.1f | %s | %s | %s |%n", r.model, r.search,
                    r.batch, r.rows, r.precision, r.kernel, resolvedKernel(r.kernel, r.precision),
                    opt("%.1f", r.projectStepUs()), opt("%.1f", r.naiveStepUs()),
                    r.rooflineStepUs,
                    r.projectMs == null ? "–" : fmt("%.2f", r.projectStepUs() / r.rooflineStepUs),
                    r.projectMs == null || r.naiveMs == null ? "–" : fmt("%.2f", r.naiveMs / r.projectMs),
                    r.projectMs == null ? "–" : fmt("%.0f%%", 100 * r.achievedGemmFraction())));
        }
        if (!attention.isEmpty()) {
            md.append("\n## Attention decoding, time per step (16 steps per decode, cpu, fp32)\n\n"
                    + "Roofline (issue 15): the step's weights plus each image's map and encoder projection read once"
                    + " at the measured bandwidth; the GEMM bound (the step's arithmetic at the LSTM products' rate"
                    + " for as many rows) is shown beside it.\n\n"
                    + "| map | search | batch | rows | kernel | project µs/step | roofline µs/step | bandwidth bound µs |"
                    + " GEMM bound µs | project/roofline |\n|---|---|---:|---:|---|---:|---:|---:|---:|---:|\n");
            for (AttentionRow r : attention) {
                md.append(fmt("| %s %dx%dx%d | %s | %d | %d | %s → %s | %s | %.1f | %.1f | %.1f | %s |%n",
                        r.shape().name(), r.shape().mapHeight(), r.shape().mapWidth(), r.shape().channels(), r.search(),
                        r.batch(), r.rows(), r.kernel(), resolvedAttentionKernel(r.kernel()),
                        opt("%.1f", r.projectStepUs()), r.rooflineUs(), r.bandwidthBoundUs(), r.gemmBoundUs(),
                        r.projectMs() == null ? "–" : fmt("%.2f", r.projectStepUs() / r.rooflineUs())));
            }
        }
        if (!training.isEmpty()) {
            md.append("\n## Training throughput (one epoch, child JVM per implementation)\n\n"
                    + "| implementation | captions | captions/s | epoch s | peak RSS MiB | time by phase (s) |\n"
                    + "|---|---:|---:|---:|---:|---|\n");
            for (TrainingThroughput.Result r : training) {
                md.append(fmt("| %s | %d | %.1f | %.0f | %.0f | %s |%n", r.impl(), r.settings().captions(),
                        r.captionsPerSecond(), r.epochSeconds(), r.peakRssMiB(), phasesText(r.phases())));
            }
        }
        if (!encoders.isEmpty()) {
            md.append("\n## Encoders (cpu)\n\n| encoder | batch | input | ms/batch | ms/image | GFLOP/s | share of peak GEMM |\n"
                    + "|---|---:|---|---:|---:|---:|---:|\n");
            for (EncoderRow e : encoders) {
                md.append(fmt("| %s | %d | %s | %.1f ± %.1f | %.1f | %.2f | %.0f%% |%n", e.arch, e.batch,
                        e.input.equals("jpeg") ? "JPEG bytes (decode + preprocess)" : "preprocessed tensor", e.ms,
                        e.error, e.ms / e.batch, e.gflops(), 100 * e.peakFraction()));
            }
        }
        if (endToEndMs != null) {
            md.append(fmt("%n## End to end%n%nJPEG bytes → caption, ResNet-50 + beam 3, batch 1: %.1f ms per caption%s.%n",
                    endToEndMs, endToEndError == null ? "" : fmt(" (± %.1f)", endToEndError)));
        }
        md.append("\n## Targets\n\n| target | rule | measured | met |\n|---|---|---|---|\n");
        for (Target t : targets) {
            md.append(fmt("| %s | %s | %s | %s |%n", t.name, t.rule, t.measured,
                    t.met == null ? "not measured" : t.met ? "yes" : "**no**"));
        }
        md.append("\n## Memory\n\n| when | live NDArrays | RSS MiB | load average |\n|---|---:|---:|---:|\n");
        for (JsonObject m : memory) {
            md.append(fmt("| %s | %d | %d | %.2f |%n", m.get("when").getAsString(), m.get("liveNDArrays").getAsLong(),
                    m.get("rssKiB").getAsLong() / 1024, m.get("loadAverage").getAsDouble()));
        }
        if (!soak.isEmpty()) {
            md.append(RssSoak.markdownSection(soak));
        }
        if (!skipped.isEmpty()) {
            md.append("\n## Skipped\n\nNot run on this machine, so no time is reported (every other parameter"
                    + " took all its values).\n\n| benchmark | configurations | status | reason |\n|---|---|---|---|\n");
            for (Skipped x : skipped) {
                md.append(fmt("| %s | %s | skipped | %s |%n", x.benchmark(), x.configuration(), x.reason()));
            }
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(n -> md.append("- ").append(n.getAsString()).append('\n'));
        }
        return md.toString();
    }

    /**
     * One attention decoding configuration (issue 15): the project's time per step against its own
     * roofline as issue 15 defines it, the step's weights plus each image's map and encoder
     * projection read once at the bandwidth measured over a buffer that size. The arithmetic at the
     * GEMM rate the LSTM's step products reach at the same row count is reported beside it (it
     * bounds the large batches, which the target does not judge).
     */
    record AttentionRow(AttentionShape shape, String search, int batch, int rows, Double projectMs, Double projectError,
            Double bestMs, double bandwidth, double gemmRate, String kernel) {

        Double projectStepUs() {
            return projectMs == null ? null : projectMs * 1000 / Workloads.STEPS;
        }

        double bytes() {
            return shape.stepWeightBytes() + shape.mapBytes(batch);
        }

        double bandwidthBoundUs() {
            return bytes() / bandwidth * 1e6;
        }

        double gemmBoundUs() {
            return shape.stepFlops(rows) / gemmRate * 1e6;
        }

        double rooflineUs() {
            return bandwidthBoundUs();
        }
    }

    final List<AttentionRow> attention = new ArrayList<>();

    /**
     * Adds the attention decoding rows and their targets (issue 15: batch 1 within 1.5x of its
     * roofline) from the attention benchmark's results.
     *
     * @param bandwidth per map name, the read rate measured over a buffer of its batch-1 step's
     *     bytes; maps without a figure get no rows
     */
    void addAttention(Map<String, Double> bandwidth) {
        Suite.RooflineFigures lstm = roofline.get(ModelShape.FLICKR8K.name());
        for (AttentionShape shape : new AttentionShape[] {AttentionShape.RESNET50, AttentionShape.VGG16}) {
            Double bw = bandwidth.get(shape.name());
            if (bw == null || lstm == null) {
                continue;
            }
            List<String> kernels = new ArrayList<>(List.of(DEFAULT_KERNEL));
            for (BenchmarkScore r : results) {
                String k = r.params().getOrDefault("kernel", DEFAULT_KERNEL);
                if (r.benchmark().equals(ATTENTION) && !kernels.contains(k)) {
                    kernels.add(k);
                }
            }
            for (String kernel : kernels) {
                for (String search : new String[] {"greedy", "beam5"}) {
                    for (int batch : new int[] {1, 64}) {
                        int rows = batch * Workloads.beamWidth(search);
                        BenchmarkScore r = findAttention(shape.name(), search, batch, kernel);
                        if (r == null && !kernel.equals(DEFAULT_KERNEL)) {
                            continue;
                        }
                        Roofline.StepGemm gemm = lstm.gemm().get(rows);
                        double rate = gemm != null ? gemm.flopsPerSecond() : peakGemm;
                        AttentionRow row = new AttentionRow(shape, search, batch, rows, score(r), error(r), best(r), bw,
                                rate, kernel);
                        attention.add(row);
                        if (batch == 1 && row.projectMs() != null) {
                            double ratio = row.projectStepUs() / row.rooflineUs();
                            targets.add(new Target("attention " + search + ", batch 1, " + shape.name() + ", " + kernel
                                    + ": time per step vs its roofline (issue 15)", "<= 1.5x",
                                    fmt("%.2fx (%.1f µs vs %.1f µs)", ratio, row.projectStepUs(), row.rooflineUs()),
                                    ratio <= 1.5, ""));
                        }
                    }
                }
            }
        }
    }

    private BenchmarkScore findAttention(String map, String search, int batch, String kernel) {
        for (BenchmarkScore r : results) {
            if (r.matches(ATTENTION, Map.of("map", map, "search", search, "batch", Integer.toString(batch), "device",
                    Devices.CPU)) && r.params().getOrDefault("kernel", DEFAULT_KERNEL).equals(kernel)) {
                return r;
            }
        }
        return null;
    }

    /** The training throughput results; empty when the suite ran none. */
    private final List<TrainingThroughput.Result> training = new ArrayList<>();

    /**
     * Adds the training throughput results and their target (issue 20: the project's trainer at
     * least 2x the naive DJL loop's captions per second).
     *
     * @param results one per implementation, as {@link TrainingThroughput#runForked} returns them
     */
    void addTraining(List<TrainingThroughput.Result> results) {
        training.addAll(results);
        TrainingThroughput.Result project = trainingResult(TrainingThroughput.PROJECT);
        TrainingThroughput.Result naive = trainingResult(TrainingThroughput.NAIVE);
        if (project != null && naive != null) {
            double ratio = project.captionsPerSecond() / naive.captionsPerSecond();
            targets.add(new Target("training, " + project.settings().captions() + " captions: project vs naive DJL"
                    + " loop, captions per second (issue 20)", ">= 2x", fmt("%.2fx (%.0f vs %.0f captions/s; peak RSS"
                    + " %.0f vs %.0f MiB)", ratio, project.captionsPerSecond(), naive.captionsPerSecond(),
                    project.peakRssMiB(), naive.peakRssMiB()), ratio >= 2, ""));
        }
    }

    private TrainingThroughput.Result trainingResult(String impl) {
        for (TrainingThroughput.Result r : training) {
            if (r.impl().equals(impl)) {
                return r;
            }
        }
        return null;
    }

    /** The RSS soak's results; empty when the suite ran none. */
    private final List<RssSoak.Result> soak = new ArrayList<>();

    /**
     * Adds the RSS soak's results, and one target per soak (issue 8: native memory and RSS flat).
     *
     * @param results the soaks, in the order run
     */
    void addSoak(List<RssSoak.Result> results) {
        for (RssSoak.Result r : results) {
            soak.add(r);
            targets.add(new Target("RSS flat (" + r.workload() + ", " + r.threads().name().toLowerCase(Locale.ROOT)
                    + " threads, " + r.calls() + " calls, " + r.allocator() + ")",
                    fmt("NDArrays equal, steady-state growth < %.0f KiB per 1,000 calls or < %.0f MiB in all",
                            SteadyState.FLAT_KIB_PER_1000_CALLS, SteadyState.NOISE_FLOOR_MIB),
                    fmt("NDArrays %d -> %d, RSS %d -> %d MiB (peak %d), %.0f KiB per 1,000 calls",
                            r.arraysAfterWarmup(), r.arraysAfter(), r.rssAfterWarmupKiB() / 1024, r.rssEndKiB() / 1024,
                            r.growth().rssPeakKiB() / 1024, r.growth().kibPer1000Calls()), r.flat(), ""));
        }
    }

    private static String phasesText(Map<String, Double> phases) {
        StringBuilder sb = new StringBuilder();
        phases.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(fmt("%.1f", v)));
        return sb.toString();
    }

    private static String opt(String format, Double v) {
        return v == null ? "–" : fmt(format, v);
    }
}
