package io.captioner.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.metric.Metric;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.PairList;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.data.EncodedCaptions;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.train.BatchResult;
import io.captioner.models.train.CaptionData;
import io.captioner.models.train.EpochResult;
import io.captioner.models.train.FeatureSource;
import io.captioner.models.train.TrainingConfig;
import io.captioner.models.train.TrainingContext;
import io.captioner.models.train.TrainingListener;
import io.captioner.models.train.TrainingPhases;
import io.captioner.text.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training throughput at the Flickr8k recipe's scale (issue 20): one epoch of teacher-forced
 * training of the Show-and-Tell LSTM decoder over 30,000 captions (6,000 images × 5) with the
 * Flickr8k vocabulary (2,541 ids), embedding and hidden 512, image features of 2,048 (random
 * stand-ins, as a frozen CNN's pooled output would be) and batches of 64, by two implementations on
 * the same data:
 *
 * <ul>
 *   <li>{@code project}: the SDK's {@code Trainer} (masked cross-entropy, its own Adam with
 *       global-norm clipping, captions padded per batch), with no listener but the one reading
 *       {@link TrainingContext#phases()};
 *   <li>{@code naive}: what a DJL user writes from DJL's examples: DJL's {@code LSTM} and {@code
 *       Linear} blocks in one {@code AbstractBlock}, an {@code ArrayDataset} of every caption padded
 *       to the longest, DJL's {@code Trainer} with its Adam, and {@link EasyTrain#trainBatch} plus
 *       {@code Trainer.step} per batch (DJL's {@code MaskedSoftmaxCrossEntropyLoss} needs {@code
 *       sequenceMask}, which DJL's PyTorch engine does not implement, so the loss is a five-line
 *       masked cross-entropy).
 * </ul>
 *
 * <p>Each implementation runs in its own JVM (so its peak RSS, {@code VmHWM}, is its own), skips the
 * first {@code --warmup} batches and reports captions per second over the rest of the epoch, with
 * the time by phase (data, features, forward, backward, optimizer). The caption lengths follow
 * Flickr8k's (about 11 words on average, at most 20 here, the trainer's default cut).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -Dai.djl.offline=true -cp
 * captioner-benchmarks/target/benchmarks.jar io.captioner.benchmarks.TrainingThroughput} ({@code
 * --help} lists the options; {@code run.sh} runs it inside the suite as the group {@code
 * TrainingThroughput}). Prints one JSON object per implementation and, with {@code --out}, writes
 * them as a JSON array.
 */
public final class TrainingThroughput {

    /** The SDK's trainer. */
    public static final String PROJECT = "project";
    /** The naive DJL loop. */
    public static final String NAIVE = "naive";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    /** Marks the child JVM's result line on its standard output. */
    private static final String RESULT_PREFIX = "TRAINING-THROUGHPUT-RESULT ";

    private TrainingThroughput() {}

    /**
     * What is trained.
     *
     * @param images distinct images
     * @param captionsPerImage captions per image (images × this = captions per epoch)
     * @param vocabulary V, specials included
     * @param embedding E
     * @param hidden H
     * @param feature D
     * @param batch captions per batch
     * @param warmupBatches batches run before timing starts
     * @param seed seeds the data and both initialisations
     */
    public record Settings(int images, int captionsPerImage, int vocabulary, int embedding, int hidden, int feature,
            int batch, int warmupBatches, long seed) {

        /** The maximum caption length in words, the trainer's default cut. */
        static final int MAX_WORDS = 20;

        /**
         * Validates the sizes.
         *
         * @throws IllegalArgumentException naming the first size out of range
         */
        public Settings {
            require(images >= 1, "images must be at least 1, found " + images);
            require(captionsPerImage >= 1, "captionsPerImage must be at least 1, found " + captionsPerImage);
            require(vocabulary >= 5, "vocabulary must be at least 5, found " + vocabulary);
            require(embedding >= 1 && hidden >= 1 && feature >= 1, "embedding, hidden and feature must be positive");
            require(batch >= 1, "batch must be at least 1, found " + batch);
            require(warmupBatches >= 0, "warmupBatches must be at least 0, found " + warmupBatches);
            require((long) images * captionsPerImage > (long) warmupBatches * batch,
                    "the epoch must hold more than the warm-up batches");
        }

        /** The Flickr8k recipe's scale: 6,000 images × 5 captions, V 2,541, E and H 512, D 2,048, batch 64. */
        public static Settings flickr8k() {
            return new Settings(6000, 5, 2541, 512, 512, 2048, 64, 10, 42);
        }

        /** Returns the captions per epoch. */
        public int captions() {
            return images * captionsPerImage;
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    /**
     * One implementation's measurement.
     *
     * @param impl {@link #PROJECT} or {@link #NAIVE}
     * @param settings what was trained
     * @param timedCaptions captions in the timed batches
     * @param seconds wall-clock seconds of the timed batches
     * @param peakRssMiB the JVM's peak resident set (VmHWM) at the end, or -1 where unknown
     * @param phases seconds by phase over the timed batches
     */
    public record Result(String impl, Settings settings, long timedCaptions, double seconds, double peakRssMiB,
            Map<String, Double> phases) {

        /**
         * Returns captions per second over the timed batches.
         *
         * @return the throughput
         */
        public double captionsPerSecond() {
            return timedCaptions / seconds;
        }

        /**
         * Returns the seconds one whole epoch takes at this throughput.
         *
         * @return seconds per epoch
         */
        public double epochSeconds() {
            return settings.captions() / captionsPerSecond();
        }

        /**
         * Returns the result as JSON, with the settings and the derived figures.
         *
         * @return a JSON object
         */
        public JsonObject json() {
            JsonObject o = new JsonObject();
            o.addProperty("impl", impl);
            o.add("settings", GSON.toJsonTree(settings));
            o.addProperty("timedCaptions", timedCaptions);
            o.addProperty("seconds", seconds);
            o.addProperty("captionsPerSecond", captionsPerSecond());
            o.addProperty("epochSeconds", epochSeconds());
            o.addProperty("peakRssMiB", peakRssMiB);
            o.add("phaseSeconds", GSON.toJsonTree(phases));
            return o;
        }

        /**
         * Reads a result written by {@link #json()}.
         *
         * @param o the JSON object
         * @return the result
         */
        static Result fromJson(JsonObject o) {
            Map<String, Double> phases = new LinkedHashMap<>();
            o.getAsJsonObject("phaseSeconds").entrySet().forEach(e -> phases.put(e.getKey(), e.getValue().getAsDouble()));
            return new Result(o.get("impl").getAsString(), GSON.fromJson(o.get("settings"), Settings.class),
                    o.get("timedCaptions").getAsLong(), o.get("seconds").getAsDouble(),
                    o.get("peakRssMiB").getAsDouble(), phases);
        }
    }

    /**
     * The training data both implementations read: per image a feature row and its captions.
     *
     * @param features {@code [images][D]}, uniform in [0, 1)
     * @param captions per image, its captions as word ids (no specials)
     */
    record Data(float[][] features, List<List<int[]>> captions) {}

    /**
     * Makes the random stand-in data: uniform features and captions whose lengths follow
     * Flickr8k's (normal around 11 words, from 4 to {@link Settings#MAX_WORDS}), words uniform over
     * the vocabulary's word ids.
     *
     * @param s the settings
     * @return the data, the same for the same settings
     */
    static Data data(Settings s) {
        Random random = new Random(s.seed());
        float[][] features = new float[s.images()][s.feature()];
        List<List<int[]>> captions = new ArrayList<>();
        int firstWord = Vocabulary.UNK + 1;
        for (int i = 0; i < s.images(); i++) {
            for (int j = 0; j < s.feature(); j++) {
                features[i][j] = random.nextFloat();
            }
            List<int[]> mine = new ArrayList<>();
            for (int c = 0; c < s.captionsPerImage(); c++) {
                int words = (int) Math.round(Math.max(4, Math.min(Settings.MAX_WORDS, 11 + 3.5 * random.nextGaussian())));
                int[] ids = new int[words];
                for (int w = 0; w < words; w++) {
                    ids[w] = firstWord + random.nextInt(s.vocabulary() - firstWord);
                }
                mine.add(ids);
            }
            captions.add(mine);
        }
        return new Data(features, captions);
    }

    /**
     * Runs one implementation in this JVM.
     *
     * @param impl {@link #PROJECT} or {@link #NAIVE}
     * @param s the settings
     * @param log progress lines
     * @return the measurement
     * @throws IllegalArgumentException for an unknown implementation
     */
    public static Result run(String impl, Settings s, Consumer<String> log) {
        Data data = data(s);
        return switch (impl) {
            case PROJECT -> runProject(s, data, log);
            case NAIVE -> runNaive(s, data, log);
            default -> throw new IllegalArgumentException("impl must be " + PROJECT + " or " + NAIVE + ", found '"
                    + impl + "'");
        };
    }

    private static Result runProject(Settings s, Data data, Consumer<String> log) {
        DecoderConfig decoder = DecoderConfig.builder().setVocabularySize(s.vocabulary()).setFeatureSize(s.feature())
                .optEmbeddingSize(s.embedding()).optHiddenSize(s.hidden()).build();
        TrainingConfig config = TrainingConfig.builder().optEpochs(1).optBatchSize(s.batch()).optSeed(s.seed())
                .optPatience(0).optMaxCaptionLength(Settings.MAX_WORDS).build();
        CaptionData train = new CaptionData(FeatureSource.cached(data.features()), EncodedCaptions.of(data.captions()));
        // validation is not timed; keep it short
        int devImages = Math.min(8, s.images());
        CaptionData dev = new CaptionData(FeatureSource.cached(java.util.Arrays.copyOf(data.features(), devImages)),
                EncodedCaptions.of(data.captions().subList(0, devImages)));
        TrainingPhases[] atWarmupEnd = {TrainingPhases.NONE};
        TrainingPhases[] atEpochEnd = new TrainingPhases[1];
        TrainingListener timer = new TrainingListener() {
            @Override
            public void onTrainingBatch(TrainingContext context, BatchResult batch) {
                if (batch.batch() == s.warmupBatches() + 1) {
                    atWarmupEnd[0] = context.phases(); // the batches before this one
                }
                if (batch.batch() % 50 == 0) {
                    log.accept("project: batch " + batch.batch() + "/" + batch.batches());
                }
            }

            @Override
            public void onEpochEnd(TrainingContext context, EpochResult result) {
                atEpochEnd[0] = context.phases(); // every batch of the epoch, the validation not counted
            }
        };
        io.captioner.models.train.Trainer.builder().setDecoder(decoder).setTrainingConfig(config).addListeners(timer)
                .build().fit(train, dev);
        TrainingPhases end = atEpochEnd[0];
        TrainingPhases w = atWarmupEnd[0];
        Map<String, Double> phases = new LinkedHashMap<>();
        phases.put("data", end.dataSeconds() - w.dataSeconds());
        phases.put("features", end.featuresSeconds() - w.featuresSeconds());
        phases.put("forward", end.forwardSeconds() - w.forwardSeconds());
        phases.put("backward", end.backwardSeconds() - w.backwardSeconds());
        phases.put("optimizer", end.optimizerSeconds() - w.optimizerSeconds());
        phases.put("listeners", end.listenerSeconds() - w.listenerSeconds());
        double seconds = end.totalSeconds() - w.totalSeconds();
        long captions = end.samples() - w.samples();
        return new Result(PROJECT, s, captions, seconds, peakRssMiB(), phases);
    }

    private static Result runNaive(Settings s, Data data, Consumer<String> log) {
        int n = s.captions();
        int t = Settings.MAX_WORDS + 1;
        try (Model model = Model.newInstance("naive-show-and-tell", Device.cpu());
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed((int) s.seed());
            float[] features = new float[n * s.feature()];
            long[] inputs = new long[n * t];
            long[] targets = new long[n * t];
            float[] mask = new float[n * t];
            int row = 0;
            for (int i = 0; i < s.images(); i++) {
                for (int[] caption : data.captions().get(i)) {
                    // a row per caption, as ArrayDataset needs it: the image's features repeated
                    System.arraycopy(data.features()[i], 0, features, row * s.feature(), s.feature());
                    inputs[row * t] = Vocabulary.START;
                    for (int w = 0; w < caption.length; w++) {
                        inputs[row * t + w + 1] = caption[w];
                        targets[row * t + w] = caption[w];
                        mask[row * t + w] = 1;
                    }
                    targets[row * t + caption.length] = Vocabulary.END;
                    mask[row * t + caption.length] = 1;
                    row++;
                }
            }
            ArrayDataset dataset = new ArrayDataset.Builder()
                    .setData(m.create(features, new Shape(n, s.feature())), m.create(inputs, new Shape(n, t)))
                    .optLabels(m.create(targets, new Shape(n, t)), m.create(mask, new Shape(n, t)))
                    .setSampling(s.batch(), true)
                    .build();
            model.setBlock(new NaiveCaptionModel(s.vocabulary(), s.embedding(), s.hidden(), 0.5f));
            DefaultTrainingConfig config = new DefaultTrainingConfig(new MaskedCrossEntropy())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).optClipGrad(5f).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.setMetrics(new Metrics());
                trainer.initialize(new Shape(s.batch(), s.feature()), new Shape(s.batch(), t));
                long dataNanos = 0;
                long trainNanos = 0;
                long stepNanos = 0;
                long timedCaptions = 0;
                int b = 0;
                Iterator<Batch> it = trainer.iterateDataset(dataset).iterator();
                while (true) {
                    long t0 = System.nanoTime();
                    if (!it.hasNext()) {
                        break;
                    }
                    Batch batch = it.next();
                    long t1 = System.nanoTime();
                    EasyTrain.trainBatch(trainer, batch);
                    long t2 = System.nanoTime();
                    trainer.step();
                    long t3 = System.nanoTime();
                    int size = batch.getSize();
                    batch.close();
                    b++;
                    if (b == s.warmupBatches()) {
                        trainer.setMetrics(new Metrics()); // the DJL phase metrics count from here
                    } else if (b > s.warmupBatches()) {
                        dataNanos += t1 - t0;
                        trainNanos += t2 - t1;
                        stepNanos += t3 - t2;
                        timedCaptions += size;
                    }
                    if (b % 50 == 0) {
                        log.accept("naive: batch " + b);
                    }
                }
                double seconds = (dataNanos + trainNanos + stepNanos) / 1e9;
                Metrics metrics = trainer.getMetrics();
                double forward = sumSeconds(metrics, "forward");
                Map<String, Double> phases = new LinkedHashMap<>();
                phases.put("data", dataNanos / 1e9);
                phases.put("forward", forward);
                phases.put("backward", sumSeconds(metrics, "backward"));
                phases.put("optimizer", stepNanos / 1e9);
                phases.put("other", Math.max(0, trainNanos / 1e9 - forward - sumSeconds(metrics, "backward")));
                return new Result(NAIVE, s, timedCaptions, seconds, peakRssMiB(), phases);
            }
        } catch (IOException | ai.djl.translate.TranslateException e) {
            throw new IllegalStateException("naive training failed: " + e.getMessage(), e);
        }
    }

    /** The sum of a DJL metric recorded in nanoseconds, in seconds; 0 when it was not recorded. */
    private static double sumSeconds(Metrics metrics, String name) {
        if (!metrics.hasMetric(name)) {
            return 0;
        }
        double sum = 0;
        for (Metric metric : metrics.getMetric(name)) {
            sum += metric.getValue().doubleValue();
        }
        return sum / 1e9;
    }

    private static double peakRssMiB() {
        long kib = NativeMemory.peakRssKiB();
        return kib < 0 ? -1 : kib / 1024.0;
    }

    /**
     * Runs each implementation in its own child JVM (this JVM's Java executable and class path,
     * the given heap, the Vector API module when this JVM has it, and this JVM's {@code ai.djl.*}
     * and {@code captioner.*} system properties), one after the other.
     *
     * @param impls the implementations, in order
     * @param s the settings
     * @param heap the children's maximum Java heap, such as {@code 2g}
     * @param log the children's progress lines and this method's
     * @return one result per implementation, in order
     * @throws IllegalStateException naming the implementation if a child fails
     */
    public static List<Result> runForked(List<String> impls, Settings s, String heap, Consumer<String> log) {
        return runForked(impls, s, heap, System.getProperty("java.class.path"), log);
    }

    /** {@link #runForked(List, Settings, String, Consumer)} with the children's class path given. */
    static List<Result> runForked(List<String> impls, Settings s, String heap, String classPath,
            Consumer<String> log) {
        List<Result> out = new ArrayList<>();
        for (String impl : impls) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx" + heap);
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                command.add("--add-modules");
                command.add("jdk.incubator.vector");
            }
            for (String name : System.getProperties().stringPropertyNames()) {
                if (name.startsWith("ai.djl.") || name.startsWith("captioner.")) {
                    command.add("-D" + name + "=" + System.getProperty(name));
                }
            }
            command.addAll(List.of("-cp", classPath, TrainingThroughput.class.getName(),
                    "--no-fork", "--impl", impl, "--images", Integer.toString(s.images()), "--captions-per-image",
                    Integer.toString(s.captionsPerImage()), "--vocabulary", Integer.toString(s.vocabulary()),
                    "--embedding", Integer.toString(s.embedding()), "--hidden", Integer.toString(s.hidden()),
                    "--feature", Integer.toString(s.feature()), "--batch", Integer.toString(s.batch()), "--warmup",
                    Integer.toString(s.warmupBatches()), "--seed", Long.toString(s.seed())));
            log.accept("training throughput: " + impl + " in a child JVM (" + s.captions() + " captions)");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                Result result = null;
                StringBuilder tail = new StringBuilder();
                try (InputStream in = p.getInputStream()) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        if (line.startsWith(RESULT_PREFIX)) {
                            result = Result.fromJson(JsonParser.parseString(line.substring(RESULT_PREFIX.length()))
                                    .getAsJsonObject());
                        } else {
                            tail.append(line).append('\n');
                            log.accept("  " + line);
                        }
                    }
                }
                if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || result == null) {
                    throw new IllegalStateException("training throughput of " + impl + " failed (exit "
                            + (p.isAlive() ? "none" : p.exitValue()) + "): " + tail);
                }
                out.add(result);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the child JVM for " + impl + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while " + impl + " trained", e);
            }
        }
        return out;
    }

    /**
     * Runs the benchmark; {@code --help} lists the options.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Cli()).execute(args));
    }

    /** The command line, parsed by picocli. */
    @Command(name = "TrainingThroughput", sortOptions = false, usageHelpAutoWidth = true,
            description = "Trains the LSTM decoder for one epoch at Flickr8k scale with the project's trainer and"
                    + " with a naive DJL loop, and reports captions per second, peak RSS and where the time goes.")
    static final class Cli implements Callable<Integer> {

        @Option(names = "--impl", split = ",", defaultValue = "project,naive", paramLabel = "project|naive",
                description = "Implementations to run, in order (default: ${DEFAULT-VALUE}).")
        List<String> impls;

        @Option(names = "--images", defaultValue = "6000", paramLabel = "N", description = "Images (default: ${DEFAULT-VALUE}).")
        int images;

        @Option(names = "--captions-per-image", defaultValue = "5", paramLabel = "N",
                description = "Captions per image (default: ${DEFAULT-VALUE}).")
        int captionsPerImage;

        @Option(names = "--vocabulary", defaultValue = "2541", paramLabel = "V",
                description = "Token ids, specials included (default: ${DEFAULT-VALUE}).")
        int vocabulary;

        @Option(names = "--embedding", defaultValue = "512", paramLabel = "E", description = "Embedding size (default: ${DEFAULT-VALUE}).")
        int embedding;

        @Option(names = "--hidden", defaultValue = "512", paramLabel = "H", description = "LSTM size (default: ${DEFAULT-VALUE}).")
        int hidden;

        @Option(names = "--feature", defaultValue = "2048", paramLabel = "D", description = "Image feature size (default: ${DEFAULT-VALUE}).")
        int feature;

        @Option(names = "--batch", defaultValue = "64", paramLabel = "B", description = "Captions per batch (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--warmup", defaultValue = "10", paramLabel = "N",
                description = "Batches before timing starts (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--fork", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Run each implementation in its own JVM, so each peak RSS is its own (default: on).")
        boolean fork;

        @Option(names = "--child-heap", defaultValue = "2g", paramLabel = "SIZE",
                description = "Java heap of each child JVM (default: ${DEFAULT-VALUE}).")
        String childHeap;

        @Option(names = "--out", paramLabel = "FILE", description = "Also write the results as a JSON array.")
        Path out;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Override
        public Integer call() throws IOException {
            Settings s;
            try {
                s = new Settings(images, captionsPerImage, vocabulary, embedding, hidden, feature, batch, warmup, seed);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
            }
            for (String impl : impls) {
                if (!impl.equals(PROJECT) && !impl.equals(NAIVE)) {
                    throw new CommandLine.ParameterException(new CommandLine(this),
                            "--impl must list project and/or naive, found '" + impl + "'");
                }
            }
            List<Result> results;
            if (fork) {
                results = runForked(impls, s, childHeap, line -> System.err.println(line));
            } else {
                results = new ArrayList<>();
                for (String impl : impls) {
                    results.add(run(impl, s, line -> System.err.println(line)));
                }
            }
            com.google.gson.JsonArray all = new com.google.gson.JsonArray();
            for (Result r : results) {
                System.out.println(RESULT_PREFIX + r.json());
                all.add(r.json());
                System.err.printf(Locale.ROOT, "%s: %.1f captions/s (an epoch of %d captions: %.0f s), peak RSS %.0f MiB,"
                        + " phases %s%n", r.impl(), r.captionsPerSecond(), s.captions(), r.epochSeconds(),
                        r.peakRssMiB(), r.phases());
            }
            if (out != null) {
                Suite.write(out, GSON.toJson(all) + "\n");
            }
            return 0;
        }
    }

    /**
     * The naive model: Show and Tell with the image as the LSTM's first input, built from DJL's
     * {@code Linear}, {@code LSTM} and dropout, with an embedding table looked up as DJL's {@code
     * Embedding} block does. Inputs {@code features [B, D]}, {@code tokens [B, T]}; output {@code
     * logits [B, T, V]}.
     */
    static final class NaiveCaptionModel extends AbstractBlock {
        private final Linear image;
        private final Parameter embedding;
        private final LSTM lstm;
        private final Linear output;
        private final float dropout;
        private final int vocabulary;
        private final int embeddingSize;
        private final int hidden;

        @SuppressWarnings("this-escape")
        NaiveCaptionModel(int vocabulary, int embeddingSize, int hidden, float dropout) {
            super((byte) 1);
            this.dropout = dropout;
            this.vocabulary = vocabulary;
            this.embeddingSize = embeddingSize;
            this.hidden = hidden;
            image = addChildBlock("image", Linear.builder().setUnits(embeddingSize).build());
            embedding = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(vocabulary, embeddingSize)).build());
            lstm = addChildBlock("lstm", LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true)
                    .build());
            output = addChildBlock("output", Linear.builder().setUnits(vocabulary).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray features = inputs.get(0);
            NDArray tokens = inputs.get(1);
            NDArray img = image.forward(ps, new NDList(features), training).singletonOrThrow().expandDims(1);
            NDArray table = ps.getValue(embedding, tokens.getDevice(), training);
            NDArray words = Embedding.embedding(tokens, table, SparseFormat.DENSE).singletonOrThrow();
            NDArray sequence = drop(img.concat(words, 1), training);
            NDArray hidden = lstm.forward(ps, new NDList(sequence), training).get(0).get(":, 1:, :");
            return output.forward(ps, new NDList(drop(hidden, training)), training);
        }

        private NDArray drop(NDArray x, boolean training) {
            return training ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            image.initialize(manager, dataType, inputShapes[0]);
            lstm.initialize(manager, dataType, new Shape(inputShapes[1].get(0), inputShapes[1].get(1) + 1,
                    embeddingSize));
            output.initialize(manager, dataType, new Shape(inputShapes[1].get(0), inputShapes[1].get(1), hidden));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[1].get(0), inputShapes[1].get(1), vocabulary)};
        }
    }

    /**
     * Masked cross-entropy over {@code logits [B, T, V]}: labels are {@code targets [B, T]} (int64)
     * and {@code mask [B, T]} (1 for a real token, 0 for padding); the loss is the mean over real
     * tokens. DJL's {@code MaskedSoftmaxCrossEntropyLoss} would do, but DJL's PyTorch engine lacks
     * its {@code sequenceMask}.
     */
    static final class MaskedCrossEntropy extends Loss {

        MaskedCrossEntropy() {
            super("MaskedCrossEntropy");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray logp = predictions.singletonOrThrow().logSoftmax(-1);
            NDArray targets = labels.get(0);
            NDArray mask = labels.get(1);
            NDArray picked = logp.gather(targets.expandDims(-1), -1).squeeze(-1);
            return picked.mul(mask).sum().neg().div(mask.sum());
        }
    }
}
