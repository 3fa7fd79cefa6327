package io.captioner.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs the whole benchmark suite in one JVM and writes {@code results.json}, {@code results.md}
 * and {@code results.png}.
 *
 * <p>Order: machine facts and memory at start; the roofline (memory bandwidth over a buffer the
 * size of each decoder's step weights, and of the attention decoder's batch-1 step, GEMM rates at
 * the decoder's shapes for every row count the decoding benchmarks use, a peak GEMM rate); the JMH
 * benchmarks ({@link DecodingBenchmark} with the naive loop, then with the project's decoder +
 * search; {@link AttentionDecodingBenchmark}; encoders; end to end) with JMH's non-forking mode by
 * default so that memory can be followed across the whole run; the training throughput ({@link
 * TrainingThroughput}, each implementation in a child JVM); a leak check; the roofline again (the
 * better of the two measurements counts); memory at the end. JMH runs
 * every configuration on the same worker threads ({@link PersistentWorkers}) unless {@code
 * -Djmh.executor} says otherwise, so glibc's per-thread arenas are reused instead of filled anew.
 *
 * <p>A {@code device=gpu} configuration is run only when DJL sees a CUDA device; otherwise it is
 * listed as skipped, with the reason, and reports no time.
 *
 * <p>Usage: {@code java -Dai.djl.offline=true -cp benchmarks.jar io.captioner.benchmarks.Suite
 * [--mode quick|full] [--out DIR] [--forks N] [--include REGEX] [--param name=v1,v2]...} (picocli;
 * {@code --help} explains each). Quick mode keeps JMH iterations short so the suite finishes in
 * under ten minutes on two cores; full mode uses 3 warm-up and 5 measured iterations of 2 s. Exit
 * code 0 when results were written, 2 on bad arguments.
 */
public final class Suite {

    private static final int[] BATCHES = {1, 16, 64};
    private static final String[] SEARCHES = {"greedy", "beam3", "beam5", "beam10"};
    private static final ModelShape[] SHAPES = {ModelShape.FLICKR8K, ModelShape.LARGE};
    /** The JMH benchmark classes, in the order the suite runs them. */
    static final List<String> GROUPS = List.of(DecodingBenchmark.class.getSimpleName(),
            AttentionDecodingBenchmark.class.getSimpleName(), EncoderBenchmark.class.getSimpleName(),
            EndToEndBenchmark.class.getSimpleName());
    /** The attention decoder's maps, whose rooflines the suite measures. */
    private static final AttentionShape[] ATTENTION_SHAPES = {AttentionShape.RESNET50, AttentionShape.VGG16};
    /** The training benchmark's group name for {@code --include} (it runs in child JVMs, not in JMH). */
    static final String TRAINING = TrainingThroughput.class.getSimpleName();

    private final String mode;
    private final Path out;
    private final int forks;
    private final String include;
    private final Map<String, String[]> params;
    private final List<JsonObject> memory = new ArrayList<>();
    private final Map<String, RooflineFigures> roofline = new LinkedHashMap<>();
    private final List<RunResult> results = new ArrayList<>();
    private final JsonArray notes = new JsonArray();
    private final Map<String, Double> attentionBandwidth = new LinkedHashMap<>();
    private double peakGemm;

    private Suite(String mode, Path out, int forks, String include, Map<String, String[]> params) {
        this.params = params;
        this.mode = mode;
        this.out = out;
        this.forks = forks;
        this.include = include;
    }

    /**
     * Runs the suite; {@code --help} lists the options.
     *
     * @param args {@code --mode quick|full}, {@code --out DIR}, {@code --forks N},
     *     {@code --include REGEX} (benchmark classes to run, such as {@code Encoder.*}; default all),
     *     {@code --param name=v1,v2} (restricts a JMH parameter, repeatable); a repeated option
     *     other than {@code --param} takes its last value, so {@code run.sh}'s defaults can be
     *     overridden
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * Returns the suite's command line, ready to {@code execute}.
     *
     * @return the command line; {@code execute} returns 0 when the results were written, 2 after
     *     picocli's usage message on bad arguments
     */
    static CommandLine commandLine() {
        return new CommandLine(new Cli()).setOverwrittenOptionsAllowed(true)
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** How long JMH measures. */
    enum Mode {
        /** Short JMH iterations: the whole suite in under ten minutes on two cores. */
        QUICK,
        /** 3 warm-up and 5 measured iterations of 2 s per configuration. */
        FULL;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The suite's arguments, parsed by picocli. */
    @Command(name = "Suite", sortOptions = false, usageHelpAutoWidth = true,
            description = "Runs the captioner benchmark suite in one JVM and writes results.json, results.md"
                    + " and results.png.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:results written", "1:a benchmark or writing the results failed",
                "2:bad arguments"})
    static final class Cli implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--mode", defaultValue = "quick", paramLabel = "quick|full",
                description = "quick: short JMH iterations (under ten minutes on two cores); full: 3 warm-up"
                        + " and 5 measured iterations of 2 s (default: ${DEFAULT-VALUE}).")
        Mode mode;

        @Option(names = "--out", defaultValue = "captioner-benchmarks/results", paramLabel = "DIR",
                description = "Directory for results.json, results.md and results.png (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--forks", defaultValue = "0", paramLabel = "N",
                description = "JMH forks per configuration; 0 runs everything in this JVM so native memory"
                        + " can be followed across the run (default: ${DEFAULT-VALUE}).")
        int forks;

        @Option(names = "--include", defaultValue = ".*", paramLabel = "REGEX",
                description = "Benchmark classes (and RssSoak, TrainingThroughput) to run, matched against the simple class name,"
                        + " such as 'Encoder.*' (default: all).")
        String include;

        @Option(names = "--param", paramLabel = "NAME=V1,V2",
                description = "Restricts a JMH parameter to the listed values, such as model=flickr8k or"
                        + " impl=project; repeatable.")
        Map<String, String> param = new LinkedHashMap<>();

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        /** Checks the values picocli cannot check by type, then runs the suite. */
        @Override
        public Integer call() throws Exception {
            if (forks < 0) {
                throw usage("--forks must be >= 0, found " + forks);
            }
            try {
                Pattern.compile(include);
            } catch (PatternSyntaxException e) {
                throw usage("--include must be a regular expression, found '" + include + "': "
                        + e.getDescription());
            }
            Map<String, String[]> params = params();
            reuseWorkerThreads();
            new Suite(mode.label(), out, forks, include, params).run();
            return 0;
        }

        /** The {@code --param} values split at commas, checked. */
        Map<String, String[]> params() {
            Map<String, String[]> params = new LinkedHashMap<>();
            param.forEach((name, values) -> {
                String[] v = values.split(",");
                if (name.isEmpty() || values.isEmpty() || Arrays.stream(v).anyMatch(String::isEmpty)) {
                    throw usage("--param must be name=v1,v2, found '" + name + "=" + values + "'");
                }
                if (name.equals("device")) {
                    for (String d : v) {
                        try {
                            Devices.checkName(d);
                        } catch (IllegalArgumentException e) {
                            throw usage("--param " + e.getMessage());
                        }
                    }
                }
                params.put(name, v);
            });
            return params;
        }

        private ParameterException usage(String message) {
            return new ParameterException(spec.commandLine(), message);
        }
    }

    /**
     * Makes JMH run every configuration on the same worker threads ({@link PersistentWorkers}) unless
     * {@code jmh.executor} is set already; JMH reads the property once, before its first run.
     */
    static void reuseWorkerThreads() {
        if (System.getProperty("jmh.executor") == null) {
            System.setProperty("jmh.executor", "CUSTOM");
            System.setProperty("jmh.executor.class", PersistentWorkers.class.getName());
        }
    }

    private void run() throws IOException, RunnerException {
        Instant started = Instant.now();
        sampleMemory("start");
        log("machine: " + Machine.cpuModel() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, load " + Machine.loadAverage() + ", engine " + Engine.getInstance().getEngineName()
                + " " + Engine.getInstance().getVersion());
        measureRoofline();
        sampleMemory("after roofline");
        String gpuSkip = Devices.gpuSkipReason();
        if (gpuSkip != null) {
            log(gpuSkip);
            notes.add(gpuSkip);
        }
        Plan plan = plan(include, params, gpuSkip);
        for (Report.Skipped s : plan.skipped()) {
            log("skipped " + s.benchmark() + " " + s.configuration() + ": " + s.reason());
        }
        for (JmhRun run : plan.runs()) {
            runGroup(run);
            sampleMemory("after " + run.label());
        }
        List<TrainingThroughput.Result> training = List.of();
        if (TRAINING.matches(include)) {
            // quick mode trains a fifth of the epoch; full mode the whole Flickr8k-sized epoch
            TrainingThroughput.Settings flickr8k = TrainingThroughput.Settings.flickr8k();
            TrainingThroughput.Settings settings = mode.equals("quick") ? new TrainingThroughput.Settings(1200,
                    flickr8k.captionsPerImage(), flickr8k.vocabulary(), flickr8k.embedding(), flickr8k.hidden(),
                    flickr8k.feature(), flickr8k.batch(), flickr8k.warmupBatches(), flickr8k.seed()) : flickr8k;
            try {
                training = TrainingThroughput.runForked(List.of(TrainingThroughput.PROJECT, TrainingThroughput.NAIVE),
                        settings, "3g", Suite::log);
            } catch (IllegalStateException e) {
                String note = "training throughput failed: " + e.getMessage();
                log(note);
                notes.add(note);
            }
            sampleMemory("after " + TRAINING);
        }
        List<LeakCheck.Result> leak = LeakCheck.run(Suite::log);
        List<RssSoak.Result> soak = "RssSoak".matches(include)
                ? RssSoak.run(mode.equals("quick") ? RssSoak.Plan.quick() : RssSoak.Plan.full(), Suite::log) : List.of();
        log("roofline again, keeping the better figures");
        measureRoofline();
        sampleMemory("end");
        Instant finished = Instant.now();
        Report report = new Report(mode, started, finished, roofline, peakGemm,
                results.stream().map(BenchmarkScore::of).toList(), memory, leak, notes, gpuSkip, plan.skipped());
        report.addSoak(soak);
        report.addAttention(attentionBandwidth);
        report.addTraining(training);
        Files.createDirectories(out);
        write(out.resolve("results.json"), new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
                .create().toJson(report.json()) + "\n");
        write(out.resolve("results.md"), report.markdown());
        Path png = out.resolve("results.png");
        Path tmp = Files.createTempFile(out, "results", ".png.tmp");
        Chart.write(report, tmp);
        readable(tmp);
        Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log("wrote " + out.toAbsolutePath() + "/results.{json,md,png} in "
                + (finished.getEpochSecond() - started.getEpochSecond()) + " s");
    }

    /**
     * Measures the roofline; called at the start and again at the end of the run, keeping the
     * better figure of each, so a burst of other work on the machine during one of the two
     * measurements does not lower the bound.
     */
    private void measureRoofline() {
        boolean quick = mode.equals("quick");
        try (Roofline probe = new Roofline(Device.cpu(), quick ? 100 : 300, quick ? 3 : 8)) {
            for (ModelShape shape : SHAPES) {
                long bytes = shape.stepWeightBytes();
                double nd = probe.ndArraySumBandwidth(bytes);
                double direct1 = probe.directBufferBandwidth(bytes, 1);
                int cores = Runtime.getRuntime().availableProcessors();
                double directN = probe.directBufferBandwidth(bytes, cores);
                RooflineFigures fig = new RooflineFigures(shape, nd, direct1, directN, new LinkedHashMap<>());
                for (int rows : rowCounts()) {
                    fig.gemm().put(rows, probe.stepGemm(shape, rows));
                }
                RooflineFigures before = roofline.get(shape.name());
                fig = before == null ? fig : before.best(fig);
                roofline.put(shape.name(), fig);
                log(String.format(Locale.ROOT, "roofline %s: %.1f MB weights, NDArray sum %.1f GB/s,"
                        + " direct buffer %.1f GB/s (1 thread) %.1f GB/s (%d threads); GEMM rows=1 %.2f GFLOP/s,"
                        + " rows=192 %.2f GFLOP/s", shape.name(), bytes / 1e6, nd / 1e9, direct1 / 1e9,
                        directN / 1e9, cores, fig.gemm().get(1).flopsPerSecond() / 1e9,
                        fig.gemm().get(192).flopsPerSecond() / 1e9));
            }
            for (AttentionShape shape : ATTENTION_SHAPES) {
                // the step's weights and one image's map: what batch 1 reads per step
                long bytes = shape.stepWeightBytes() + shape.mapBytes(1);
                int cores = Runtime.getRuntime().availableProcessors();
                double bw = Math.max(probe.ndArraySumBandwidth(bytes), Math.max(probe.directBufferBandwidth(bytes, 1),
                        probe.directBufferBandwidth(bytes, cores)));
                attentionBandwidth.merge(shape.name(), bw, Math::max);
                log(String.format(Locale.ROOT, "roofline attention %s: %.1f MB per batch-1 step, %.1f GB/s",
                        shape.name(), bytes / 1e6, attentionBandwidth.get(shape.name()) / 1e9));
            }
            peakGemm = Math.max(peakGemm, probe.peakGemmRate());
            log(String.format(Locale.ROOT, "peak GEMM %.2f GFLOP/s", peakGemm / 1e9));
        }
    }

    static List<Integer> rowCounts() {
        List<Integer> rows = new ArrayList<>();
        for (String s : SEARCHES) {
            for (int b : BATCHES) {
                int r = b * Workloads.beamWidth(s);
                if (!rows.contains(r)) {
                    rows.add(r);
                }
            }
        }
        rows.sort(Integer::compare);
        return rows;
    }

    /**
     * One JMH run of the suite: a benchmark class with the parameters the suite fixes.
     *
     * @param benchmark the class's simple name
     * @param variant the parameters that tell this run apart from the class's other runs (the
     *     decoding benchmark runs once per {@code impl}, so memory is sampled after each)
     * @param params every parameter given to JMH, {@code device} included
     */
    record JmhRun(String benchmark, Map<String, String> variant, Map<String, String[]> params) {

        String label() {
            StringBuilder sb = new StringBuilder(benchmark);
            variant.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            return sb.toString();
        }
    }

    /**
     * What a suite run does: the JMH runs in order, and the configurations it cannot run here.
     *
     * @param runs the JMH runs
     * @param skipped the configurations left out, with the reason
     */
    record Plan(List<JmhRun> runs, List<Report.Skipped> skipped) {}

    /**
     * Plans the JMH runs: the benchmark classes {@code include} selects, in the suite's order, the
     * decoding benchmark once per implementation (naive, then project, or as {@code --param impl}
     * lists them), every {@code --param} passed on. The {@code device} values (default cpu and gpu)
     * are split: {@code gpu} when DJL sees no CUDA device is not run but recorded as skipped, so it
     * never reports a time.
     *
     * @param include the regular expression benchmark class names must match
     * @param params the {@code --param} restrictions
     * @param gpuSkip why {@code gpu} cannot run here, or null when it can
     * @return the plan
     */
    static Plan plan(String include, Map<String, String[]> params, String gpuSkip) {
        List<String> run = new ArrayList<>();
        List<String> skip = new ArrayList<>();
        for (String d : params.getOrDefault("device", new String[] {Devices.CPU, Devices.GPU})) {
            (d.equals(Devices.GPU) && gpuSkip != null ? skip : run).add(d);
        }
        List<JmhRun> runs = new ArrayList<>();
        List<Report.Skipped> skipped = new ArrayList<>();
        for (String group : GROUPS) {
            if (!group.matches(include)) {
                continue;
            }
            List<Map<String, String>> variants = new ArrayList<>();
            if (group.equals(Report.DECODING)) {
                for (String impl : params.getOrDefault("impl", new String[] {Decoding.NAIVE, Decoding.PROJECT})) {
                    variants.add(Map.of("impl", impl));
                }
            } else {
                variants.add(Map.of());
            }
            for (Map<String, String> variant : variants) {
                Map<String, String[]> p = new LinkedHashMap<>(params);
                variant.forEach((k, v) -> p.put(k, new String[] {v}));
                if (Decoding.NAIVE.equals(variant.get("impl"))) {
                    // the naive loop has no precision or kernel: once per configuration is enough
                    p.put("precision", new String[] {Report.DEFAULT_PRECISION});
                    p.put("kernel", new String[] {Report.DEFAULT_KERNEL});
                }
                if (!run.isEmpty()) {
                    p.put("device", run.toArray(String[]::new));
                    runs.add(new JmhRun(group, variant, p));
                }
                for (String d : skip) {
                    Map<String, String> what = new LinkedHashMap<>();
                    params.forEach((k, v) -> what.put(k, String.join(",", v)));
                    what.putAll(variant);
                    what.put("device", d);
                    skipped.add(new Report.Skipped(group, what, gpuSkip));
                }
            }
        }
        return new Plan(List.copyOf(runs), List.copyOf(skipped));
    }

    private void runGroup(JmhRun run) throws RunnerException {
        String pattern = "io\\.captioner\\.benchmarks\\." + run.benchmark() + "\\..*";
        boolean quick = mode.equals("quick");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(pattern)
                .forks(forks)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .timeUnit(TimeUnit.MILLISECONDS)
                .shouldFailOnError(false);
        run.params().forEach(options::param);
        if (forks > 0 && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            options.jvmArgsPrepend("--add-modules", "jdk.incubator.vector"); // the decoder's Vector API kernel
        }
        if (forks > 0) {
            options.jvmArgsAppend("-Dai.djl.offline=" + System.getProperty("ai.djl.offline", "true"),
                    "-Djmh.executor=" + System.getProperty("jmh.executor"),
                    "-Djmh.executor.class=" + System.getProperty("jmh.executor.class", ""));
        }
        try {
            Collection<RunResult> r = new Runner(options.build()).run();
            if (r.isEmpty()) {
                throw new NoBenchmarksException();
            }
            results.addAll(r);
        } catch (NoBenchmarksException e) {
            String note = run.label() + ": not in this build (its pieces are not on main yet)";
            log(note);
            notes.add(note);
        }
    }

    private void sampleMemory(String when) {
        JsonObject o = new JsonObject();
        o.addProperty("when", when);
        o.addProperty("liveNDArrays", NativeMemory.liveNDArrays());
        o.addProperty("rssKiB", NativeMemory.rssKiBAfterGc());
        o.addProperty("loadAverage", Machine.loadAverage());
        memory.add(o);
        log("memory " + when + ": " + o);
    }

    static void write(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            readable(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Temp files are created owner-only; results are meant to be read by anyone. */
    static void readable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default permissions
        }
    }

    static void log(String message) {
        System.out.println("[suite " + Instant.now() + "] " + message);
    }

    /**
     * Roofline measurements of one decoder shape.
     *
     * @param shape the decoder sizes
     * @param ndArraySum bytes/s reading the weight-sized buffer with NDArray sum
     * @param directOneThread bytes/s reading a direct buffer from one Java thread
     * @param directAllThreads bytes/s reading it from one thread per core
     * @param gemm step GEMM timing per row count
     */
    record RooflineFigures(ModelShape shape, double ndArraySum, double directOneThread, double directAllThreads,
            Map<Integer, Roofline.StepGemm> gemm) {

        RooflineFigures best(RooflineFigures other) {
            Map<Integer, Roofline.StepGemm> g = new LinkedHashMap<>();
            gemm.forEach((rows, a) -> {
                Roofline.StepGemm b = other.gemm.get(rows);
                g.put(rows, b != null && b.flopsPerSecond() > a.flopsPerSecond() ? b : a);
            });
            return new RooflineFigures(shape, Math.max(ndArraySum, other.ndArraySum),
                    Math.max(directOneThread, other.directOneThread), Math.max(directAllThreads, other.directAllThreads), g);
        }

        double bandwidth() {
            return Math.max(ndArraySum, Math.max(directOneThread, directAllThreads));
        }

        /** Lower bound of one step for {@code rows} rows, in seconds. */
        double stepSeconds(int rows) {
            return Math.max(shape.stepWeightBytes() / bandwidth(), shape.stepFlops(rows) / gemm.get(rows).flopsPerSecond());
        }
    }
}
