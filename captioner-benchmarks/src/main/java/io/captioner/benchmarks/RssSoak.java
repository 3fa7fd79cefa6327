package io.captioner.benchmarks;

import ai.djl.engine.Engine;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.captioner.Caption;
import io.captioner.DecodingOptions;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.models.DjlCaptioner;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.EncoderOptions;
import io.captioner.models.encoder.Encoders;
import io.captioner.search.CaptionSearch;
import io.captioner.text.Tokenizer;
import io.captioner.text.Vocabulary;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The RSS soak of issues 7 and 8: repeats a workload many times (10,000 captions through a
 * {@link DjlCaptioner}; a long loop of the project decoder's beam search) and samples the process's
 * resident set size, so that "native memory flat" is measured rather than assumed.
 *
 * <p>Per workload: a warm-up, then {@code calls} calls split into {@code samples} equal chunks with
 * VmRSS read (without a GC, as a server would see it) after each chunk; RSS and live NDArrays are
 * also read after a GC at the end of the warm-up and at the end. {@link SteadyState} fits the
 * growth over the second half of the samples. The chunks run either all on one thread
 * ({@link Threads#FIXED}) or each on a newly started thread ({@link Threads#NEW}), which is how
 * JMH and thread pools that replace threads behave, and what makes glibc's per-thread malloc arenas
 * matter (see the module README). A soak stops early if RSS grows by more than 3 GiB, to protect
 * shared machines.
 *
 * <p>Run alone with {@code captioner-benchmarks/run.sh soak [options]}; {@link Suite} runs
 * {@link Plan#quick()} or {@link Plan#full()} and puts the results into {@code results.json} and
 * {@code results.md}. Not thread-safe: one soak at a time.
 */
public final class RssSoak {

    /** Stop a soak once RSS has grown this much over its post-warm-up figure. */
    static final long ABORT_GROWTH_KIB = 3L * 1024 * 1024;

    /** The captioner workload's name. */
    public static final String CAPTIONER = "captioner";
    /** The decode workload's name: the project decoder, Flickr8k sizes, beam 3. */
    public static final String DECODE = "decode";

    private RssSoak() {}

    /** Which threads run the calls. */
    public enum Threads {
        /** Every call on one worker thread. */
        FIXED,
        /** Each chunk of calls between two samples on a newly started thread. */
        NEW
    }

    /**
     * What to soak.
     *
     * @param captions calls of the captioner workload (one caption each); 0 skips it
     * @param decodes calls of the decode workload (one beam-3 decode of {@code batch} images each);
     *     0 skips it
     * @param batch images per decode call; beam 3 makes 3 decoder rows per image, and from 16 rows
     *     on the decoder uses PyTorch's {@code lstm} operator instead of its own cell
     * @param samples RSS samples per soak, at least 6
     * @param threads the thread modes to run each workload under
     */
    public record Plan(int captions, int decodes, int batch, int samples, List<Threads> threads) {

        /** Validates the counts. */
        public Plan {
            if (captions < 0 || decodes < 0) {
                throw new IllegalArgumentException("captions and decodes must be >= 0, found " + captions + ", "
                        + decodes);
            }
            if (batch < 1) {
                throw new IllegalArgumentException("batch must be >= 1, found " + batch);
            }
            if (samples < 2 * SteadyState.MIN_STEADY_SAMPLES) {
                throw new IllegalArgumentException("samples must be >= " + 2 * SteadyState.MIN_STEADY_SAMPLES
                        + ", found " + samples);
            }
            threads = List.copyOf(threads);
            if (threads.isEmpty()) {
                throw new IllegalArgumentException("threads must name at least one mode");
            }
        }

        /**
         * The suite's quick plan: 10,000 captions and 600 decodes on one thread, 20 samples (about a
         * minute, so quick mode stays under ten).
         *
         * @return the plan
         */
        public static Plan quick() {
            return new Plan(10_000, 600, 4, 20, List.of(Threads.FIXED));
        }

        /**
         * The suite's full plan: 10,000 captions and 2,000 decodes, each on one thread and on new
         * threads, 25 samples.
         *
         * @return the plan
         */
        public static Plan full() {
            return new Plan(10_000, 2_000, 4, 25, List.of(Threads.FIXED, Threads.NEW));
        }
    }

    /**
     * The figures of one soak.
     *
     * @param workload what was repeated
     * @param threads the thread mode
     * @param allocator the malloc in use and its settings (from the environment)
     * @param warmupCalls calls before the first sample
     * @param calls calls made after the warm-up (fewer than planned if stopped early)
     * @param stoppedEarly whether RSS grew past the safety limit
     * @param arraysAfterWarmup live NDArrays after the warm-up
     * @param arraysAfter live NDArrays at the end
     * @param rssAfterWarmupKiB VmRSS after the warm-up, after a GC
     * @param rssEndKiB VmRSS at the end, after a GC
     * @param mallocAfterWarmup where malloc memory lived after the warm-up
     * @param mallocEnd where malloc memory lived at the end
     * @param samples the RSS samples (calls after the warm-up, KiB; the first at 0 calls)
     * @param growth the fitted steady-state growth
     * @param seconds wall time of the measured calls
     */
    public record Result(String workload, Threads threads, String allocator, int warmupCalls, long calls,
            boolean stoppedEarly, long arraysAfterWarmup, long arraysAfter, long rssAfterWarmupKiB, long rssEndKiB,
            NativeMemory.MallocMap mallocAfterWarmup, NativeMemory.MallocMap mallocEnd,
            List<SteadyState.Sample> samples, SteadyState.Growth growth, double seconds) {

        /**
         * Returns whether NDArrays stayed equal and RSS grew less than the flat limit.
         *
         * @return the verdict
         */
        public boolean flat() {
            return !stoppedEarly && arraysAfter == arraysAfterWarmup && growth.flat();
        }

        /**
         * Returns the figures as JSON.
         *
         * @return the JSON object
         */
        public JsonObject json() {
            JsonObject o = new JsonObject();
            o.addProperty("workload", workload);
            o.addProperty("threads", threads.name().toLowerCase(Locale.ROOT));
            o.addProperty("allocator", allocator);
            o.addProperty("warmupCalls", warmupCalls);
            o.addProperty("calls", calls);
            o.addProperty("stoppedEarly", stoppedEarly);
            o.addProperty("seconds", seconds);
            o.addProperty("liveNDArraysAfterWarmup", arraysAfterWarmup);
            o.addProperty("liveNDArraysAfter", arraysAfter);
            o.addProperty("rssAfterWarmupKiB", rssAfterWarmupKiB);
            o.addProperty("rssEndKiB", rssEndKiB);
            o.addProperty("rssPeakKiB", growth.rssPeakKiB());
            o.addProperty("steadyStateFromCalls", growth.fromCalls());
            o.addProperty("steadyStateToCalls", growth.toCalls());
            o.addProperty("steadyStateKiBPer1000Calls", growth.kibPer1000Calls());
            o.addProperty("steadyStateFittedGrowthMiB", growth.fittedGrowthMiB());
            o.addProperty("flatLimitKiBPer1000Calls", SteadyState.FLAT_KIB_PER_1000_CALLS);
            o.addProperty("flatNoiseFloorMiB", SteadyState.NOISE_FLOOR_MIB);
            o.addProperty("flat", flat());
            if (mallocAfterWarmup != null && mallocEnd != null) {
                o.add("mallocAfterWarmup", malloc(mallocAfterWarmup));
                o.add("mallocEnd", malloc(mallocEnd));
            }
            JsonArray s = new JsonArray();
            for (SteadyState.Sample x : samples) {
                JsonArray pair = new JsonArray();
                pair.add(x.calls());
                pair.add(x.rssKiB());
                s.add(pair);
            }
            o.add("samplesCallsRssKiB", s);
            return o;
        }

        private static JsonObject malloc(NativeMemory.MallocMap m) {
            JsonObject o = new JsonObject();
            o.addProperty("mainHeapKiB", m.mainHeapKiB());
            o.addProperty("arenaRegions", m.arenaRegions());
            o.addProperty("arenaRssKiB", m.arenaRssKiB());
            return o;
        }

        /**
         * Returns one Markdown table row matching {@link #MARKDOWN_HEADER}.
         *
         * @return the row, with a line break
         */
        public String markdownRow() {
            String arenas = mallocAfterWarmup == null || mallocEnd == null ? "–"
                    : String.format(Locale.ROOT, "%d → %d (%d → %d MiB)", mallocAfterWarmup.arenaRegions(),
                            mallocEnd.arenaRegions(), mallocAfterWarmup.arenaRssKiB() / 1024,
                            mallocEnd.arenaRssKiB() / 1024);
            return String.format(Locale.ROOT, "| %s | %s | %s | %d%s | %d → %d | %d → %d | %d | %.0f | %s | %s |%n",
                    workload, threads.name().toLowerCase(Locale.ROOT), allocator, calls,
                    stoppedEarly ? " (stopped early)" : "", arraysAfterWarmup, arraysAfter, rssAfterWarmupKiB / 1024,
                    rssEndKiB / 1024, growth.rssPeakKiB() / 1024, growth.kibPer1000Calls(), arenas,
                    flat() ? "yes" : "**no**");
        }
    }

    /** The header of the Markdown table {@link Result#markdownRow()} fills. */
    public static final String MARKDOWN_HEADER = "| workload | threads | allocator | calls | NDArrays after warm-up → end"
            + " | RSS MiB after warm-up → end (after GC) | peak RSS MiB | steady-state growth KiB per 1,000 calls"
            + " | glibc arena regions (RSS) | flat |\n|---|---|---|---:|---:|---:|---:|---:|---:|---|\n";

    /**
     * Runs every workload of a plan under every thread mode of the plan.
     *
     * @param plan what to run
     * @param log where progress goes
     * @return one result per workload and thread mode
     */
    public static List<Result> run(Plan plan, Consumer<String> log) {
        List<Result> results = new ArrayList<>();
        if (plan.captions() > 0) {
            try (DjlCaptioner captioner = tinyCaptioner(11)) {
                List<BufferedImage> images = thumbnails(50, 32);
                int[] next = {0};
                Runnable call = () -> {
                    Caption c = captioner.caption(images.get(next[0]++ % images.size()));
                    if (c == null) {
                        throw new IllegalStateException("no caption");
                    }
                };
                for (Threads t : plan.threads()) {
                    results.add(soak(CAPTIONER + " (tiny random model, 1 caption per call)", call, 200,
                            plan.captions(), plan.samples(), t, log));
                }
            }
        }
        if (plan.decodes() > 0) {
            float[][] features = Workloads.features(plan.batch(), ModelShape.FLICKR8K.featureSize(), 3);
            try (LstmCaptionDecoder decoder = ProjectDecoding.decoder(ModelShape.FLICKR8K, 1)) {
                CaptionSearch search = ProjectDecoding.search("beam3");
                Runnable call = () -> search.decode(decoder, features);
                for (Threads t : plan.threads()) {
                    results.add(soak(DECODE + " (project decoder, flickr8k, beam 3, batch " + plan.batch() + ", 16 steps)",
                            call, 20,
                            plan.decodes(), plan.samples(), t, log));
                }
            }
        }
        return results;
    }

    /**
     * Soaks one workload.
     *
     * @param workload its name
     * @param call one call
     * @param warmup calls before the first sample
     * @param calls calls after the warm-up
     * @param samples how many chunks the calls are split into (RSS is read after each)
     * @param threads which threads run the chunks
     * @param log where progress goes
     * @return the figures
     */
    static Result soak(String workload, Runnable call, int warmup, int calls, int samples, Threads threads,
            Consumer<String> log) {
        ExecutorService fixed = threads == Threads.FIXED ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rss-soak");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            runOn(fixed, call, warmup);
            long arrays0 = NativeMemory.liveNDArrays();
            long rss0 = NativeMemory.rssKiBAfterGc();
            NativeMemory.MallocMap malloc0 = NativeMemory.mallocMap();
            List<SteadyState.Sample> s = new ArrayList<>();
            s.add(new SteadyState.Sample(0, NativeMemory.rssKiB()));
            long done = 0;
            boolean stopped = false;
            long started = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                int n = (int) ((long) calls * (i + 1) / samples - done);
                runOn(fixed, call, n);
                done += n;
                long rss = NativeMemory.rssKiB();
                s.add(new SteadyState.Sample(done, rss));
                if (rss - rss0 > ABORT_GROWTH_KIB) {
                    log.accept("rss soak: RSS grew by more than " + ABORT_GROWTH_KIB / 1024 + " MiB after " + done
                            + " calls of " + workload + "; stopping early");
                    stopped = true;
                    break;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long arrays1 = NativeMemory.liveNDArrays();
            long rss1 = NativeMemory.rssKiBAfterGc();
            // a soak stopped after a few chunks has too few samples for a steady-state half: then
            // the growth from the first to the last sample is all there is (and it is not flat)
            SteadyState.Growth growth = s.size() > 2 * SteadyState.MIN_STEADY_SAMPLES ? SteadyState.of(s)
                    : SteadyState.endToEnd(s);
            Result r = new Result(workload, threads, allocator(), warmup, done, stopped, arrays0, arrays1, rss0, rss1,
                    malloc0, NativeMemory.mallocMap(), List.copyOf(s), growth, seconds);
            log.accept(String.format(Locale.ROOT, "rss soak: %s, %s threads, %s: %d calls in %.1f s, NDArrays %d -> %d,"
                    + " RSS %d -> %d MiB (peak %d), steady state %.0f KiB per 1,000 calls -> %s", workload,
                    threads.name().toLowerCase(Locale.ROOT), r.allocator(), done, seconds, arrays0, arrays1,
                    rss0 / 1024, rss1 / 1024, growth.rssPeakKiB() / 1024, growth.kibPer1000Calls(),
                    r.flat() ? "flat" : "NOT flat"));
            return r;
        } finally {
            if (fixed != null) {
                fixed.shutdownNow();
            }
        }
    }

    private static void runOn(ExecutorService fixed, Runnable call, int n) {
        Runnable chunk = () -> {
            for (int i = 0; i < n; i++) {
                call.run();
            }
        };
        if (fixed != null) {
            try {
                fixed.submit(chunk).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("soak call failed: " + e.getCause(), e.getCause());
            }
            return;
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(chunk, "rss-soak-chunk");
        t.setUncaughtExceptionHandler((th, e) -> failure.set(e));
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("soak call failed: " + failure.get(), failure.get());
        }
    }

    /**
     * Describes the allocator from the environment: jemalloc when {@code LD_PRELOAD} names it,
     * otherwise glibc, with whichever of its tuning variables are set and the JVM's periodic trim
     * ({@code -XX:TrimNativeHeapInterval}) if it was given.
     *
     * @return for example {@code glibc MALLOC_ARENA_MAX=2} or {@code glibc TrimNativeHeapInterval=10000}
     */
    static String allocator() {
        String preload = System.getenv("LD_PRELOAD");
        StringBuilder sb = new StringBuilder();
        if (preload != null && preload.contains("jemalloc")) {
            sb.append("jemalloc");
        } else if (preload != null && preload.contains("tcmalloc")) {
            sb.append("tcmalloc");
        } else {
            sb.append("glibc");
        }
        for (String v : new String[] {"MALLOC_ARENA_MAX", "MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_",
            "GLIBC_TUNABLES", "MALLOC_CONF"}) {
            String value = System.getenv(v);
            if (value != null && !value.isEmpty()) {
                sb.append(' ').append(v).append('=').append(value);
            }
        }
        for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:TrimNativeHeapInterval=")) {
                sb.append(' ').append(arg.substring(4)); // the JVM calls malloc_trim every N ms
            }
        }
        return sb.toString();
    }

    /**
     * Builds a tiny captioner with random weights: a small CNN (32-pixel input, 16 features) and a
     * 16-unit LSTM over the vocabulary of the synthetic dataset's first 60 images, greedy decoding.
     *
     * @param seed the weights' seed
     * @return the captioner, owning its encoder and decoder
     */
    static DjlCaptioner tinyCaptioner(int seed) {
        SyntheticDataset data = SyntheticDataset.defaults();
        List<List<String>> captions = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            for (String c : data.captions(i)) {
                captions.add(Tokenizer.standard().tokenize(c));
            }
        }
        Vocabulary vocabulary = Vocabulary.builder().optMaxSize(1000).build(captions);
        Engine.getInstance().setRandomSeed(seed);
        BlockEncoder encoder = Encoders.smallCnn().optInputSize(32).optFeatureSize(16).optBaseChannels(4)
                .optEncoderOptions(new EncoderOptions(8, false)).build();
        LstmCaptionDecoder decoder = LstmCaptionDecoder.create(DecoderConfig.builder()
                .setVocabularySize(vocabulary.size()).setFeatureSize(16)
                .optEmbeddingSize(16).optHiddenSize(16).optDropout(0).build(), seed);
        return DjlCaptioner.builder().setEncoder(encoder).setDecoder(decoder).setVocabulary(vocabulary)
                .optDecodingOptions(DecodingOptions.builder().optMaxLength(16).build()).build();
    }

    private static List<BufferedImage> thumbnails(int n, int side) {
        SyntheticDataset data = SyntheticDataset.defaults();
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage t = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = t.createGraphics();
            g.drawImage(data.sample(i).image(), 0, 0, side, side, null);
            g.dispose();
            out.add(t);
        }
        return out;
    }

    /**
     * Runs a soak alone and writes {@code soak.json} and {@code soak.md}; {@code --help} lists the
     * options. Exit code 0 when the results were written, 2 with picocli's usage message on bad
     * arguments.
     *
     * @param args {@code --captions N} (default 10,000), {@code --decodes N} (default 2,000),
     *     {@code --batch N} (images per decode, default 4),
     *     {@code --samples N} (default 25), {@code --threads fixed,new} (default both),
     *     {@code --out DIR} (default {@code captioner-benchmarks/results}); a repeated option takes
     *     its last value
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * Returns the soak's command line, ready to {@code execute}.
     *
     * @return the command line
     */
    static CommandLine commandLine() {
        return new CommandLine(new Cli()).setOverwrittenOptionsAllowed(true)
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** The soak's arguments, parsed by picocli. */
    @Command(name = "RssSoak", sortOptions = false, usageHelpAutoWidth = true,
            description = "Repeats the captioner and decode workloads, samples RSS and writes soak.json and soak.md.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:results written", "1:a soak or writing the results failed", "2:bad arguments"})
    static final class Cli implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--captions", defaultValue = "10000", paramLabel = "N",
                description = "Calls of the captioner workload, one caption each; 0 skips it (default: ${DEFAULT-VALUE}).")
        int captions;

        @Option(names = "--decodes", defaultValue = "2000", paramLabel = "N",
                description = "Calls of the decode workload (project decoder, beam 3); 0 skips it"
                        + " (default: ${DEFAULT-VALUE}).")
        int decodes;

        @Option(names = "--batch", defaultValue = "4", paramLabel = "N",
                description = "Images per decode call (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--samples", defaultValue = "25", paramLabel = "N",
                description = "RSS samples per soak, at least " + 2 * SteadyState.MIN_STEADY_SAMPLES
                        + " (default: ${DEFAULT-VALUE}).")
        int samples;

        @Option(names = "--threads", defaultValue = "fixed,new", split = ",", paramLabel = "fixed|new",
                description = "Thread modes: fixed (one worker thread) and/or new (a new thread per chunk of"
                        + " calls) (default: ${DEFAULT-VALUE}).")
        List<Threads> threads;

        @Option(names = "--out", defaultValue = "captioner-benchmarks/results", paramLabel = "DIR",
                description = "Directory for soak.json and soak.md (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        /**
         * Checks the options against the plan's rules, naming the option.
         *
         * @return the plan
         * @throws ParameterException for a value out of range
         */
        Plan plan() {
            check(captions >= 0, "--captions must be >= 0, found " + captions);
            check(decodes >= 0, "--decodes must be >= 0, found " + decodes);
            check(batch >= 1, "--batch must be >= 1, found " + batch);
            check(samples >= 2 * SteadyState.MIN_STEADY_SAMPLES, "--samples must be >= "
                    + 2 * SteadyState.MIN_STEADY_SAMPLES + ", found " + samples);
            check(!threads.isEmpty(), "--threads must name at least one of fixed, new");
            return new Plan(captions, decodes, batch, samples, threads);
        }

        private void check(boolean ok, String message) {
            if (!ok) {
                throw new ParameterException(spec.commandLine(), message);
            }
        }

        /** Runs the soaks and writes the results. */
        @Override
        public Integer call() throws IOException {
            Plan plan = plan();
            Instant started = Instant.now();
            List<Result> results = run(plan, Suite::log);
            Instant finished = Instant.now();
            Files.createDirectories(out);
            Suite.write(out.resolve("soak.json"), new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                    .toJson(json(results, started, finished)) + "\n");
            Suite.write(out.resolve("soak.md"), markdown(results, started, finished));
            Suite.log("wrote " + out.toAbsolutePath() + "/soak.{json,md}");
            return 0;
        }
    }

    static JsonObject json(List<Result> results, Instant started, Instant finished) {
        JsonObject root = new JsonObject();
        root.addProperty("started", started.toString());
        root.addProperty("finished", finished.toString());
        root.addProperty("cpu", Machine.cpuModel());
        root.addProperty("cores", Runtime.getRuntime().availableProcessors());
        root.addProperty("loadAverageAtEnd", Machine.loadAverage());
        root.addProperty("torchThreads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        root.add("soaks", jsonArray(results));
        return root;
    }

    /**
     * Returns the results as a JSON array, one object per soak.
     *
     * @param results the soaks
     * @return the array
     */
    static JsonArray jsonArray(List<Result> results) {
        JsonArray a = new JsonArray();
        results.forEach(r -> a.add(r.json()));
        return a;
    }

    /**
     * Returns the Markdown section that describes the soaks (a heading, a line of method and the
     * table).
     *
     * @param results the soaks
     * @return Markdown text
     */
    static String markdownSection(List<Result> results) {
        StringBuilder md = new StringBuilder("\n## RSS soak\n\n");
        md.append(String.format(Locale.ROOT, "Each workload repeated after a warm-up; VmRSS sampled after every"
                + " chunk of calls; growth is the least-squares slope over the second half of the samples; flat ="
                + " NDArrays equal and (growth < %.0f KiB per 1,000 calls or fitted growth over the half < %.0f MiB,"
                + " the allocators' noise). Allocator: %s.%n%n", SteadyState.FLAT_KIB_PER_1000_CALLS,
                SteadyState.NOISE_FLOOR_MIB, allocator()));
        md.append(MARKDOWN_HEADER);
        results.forEach(r -> md.append(r.markdownRow()));
        return md.toString();
    }

    private static String markdown(List<Result> results, Instant started, Instant finished) {
        return String.format(Locale.ROOT, "# captioner-benchmarks RSS soak%n%nRun %s to %s on %s, %d cores; torch"
                + " threads %s; load average at the end %.2f.%n", started, finished, Machine.cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("ai.djl.pytorch.num_threads", "default"),
                Machine.loadAverage()) + markdownSection(results);
    }
}
