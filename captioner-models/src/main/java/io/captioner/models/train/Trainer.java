package io.captioner.models.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.captioner.CaptionerException;
import io.captioner.io.AtomicFiles;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.models.decoder.ParameterFile;
import io.captioner.models.decoder.ShowAndTellDecoder;
import io.captioner.models.internal.ConsoleProgress;
import io.captioner.text.Vocabulary;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link ShowAndTellDecoder} (and, through {@link FeatureSource#trainableEncoder}, an
 * image encoder) with teacher forcing, masked cross-entropy, Adam, global-norm clipping and a
 * per-epoch learning-rate schedule.
 *
 * <p>Each epoch shuffles the (image, caption) pairs with a generator seeded from the configured
 * seed and the epoch number, and reseeds the engine (dropout) the same way; together with the
 * checkpointed parameters and Adam moments this makes {@link #resume} reach exactly the parameters
 * of an uninterrupted run. After each epoch it computes the validation loss and, if a {@link
 * ValidationMetric} is set, the metric; the best epoch's decoder is saved; training stops early
 * after {@code patience} epochs without improvement.
 *
 * <p>Files in the work directory, each written atomically (temporary file, then rename):
 *
 * <ul>
 *   <li>{@value #CHECKPOINT}: everything needed to resume (parameters, Adam state, counters, history)
 *   <li>{@value #BEST_DECODER}: the best decoder, loadable with {@link LstmCaptionDecoder#load(Path)}
 *   <li>{@value #BEST_ENCODER}: the best encoder parameters, when the encoder trains
 *   <li>{@value #LOG}: one JSON object per epoch ({@link EpochResult#toJson()})
 * </ul>
 *
 * <p>Native memory: parameters and optimiser state live in managers closed when training ends;
 * each batch runs in a sub-manager closed after the batch. Not thread-safe; PyTorch allows only one
 * gradient collection at a time per process, so run one trainer at a time.
 */
public final class Trainer {

    /** File name of the resumable checkpoint. */
    public static final String CHECKPOINT = "checkpoint.params";
    /** File name of the best decoder. */
    public static final String BEST_DECODER = "best-decoder.params";
    /** File name of the best encoder parameters. */
    public static final String BEST_ENCODER = "best-encoder.params";
    /** File name of the JSON-lines log. */
    public static final String LOG = "training-log.jsonl";
    /** The {@link ParameterFile} kind of checkpoints. */
    public static final String CHECKPOINT_KIND = "training-checkpoint";
    /** The {@link ParameterFile} kind of saved encoder parameters. */
    public static final String ENCODER_KIND = "encoder-parameters";

    private static final Logger LOG_ = LoggerFactory.getLogger(Trainer.class);

    private final DecoderConfig decoderConfig;
    private final TrainingConfig config;
    private final Path workDir;
    private final ValidationMetric metric;
    private final PrintStream progress;
    private final Consumer<EpochResult> listener;

    private Trainer(Builder b) {
        this.decoderConfig = b.decoderConfig;
        this.config = b.trainingConfig;
        this.workDir = b.workDir;
        this.metric = b.metric;
        this.progress = b.progress;
        this.listener = b.listener;
    }

    /**
     * Creates a builder; the decoder config, training config and work directory are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains from freshly initialised parameters, replacing any earlier checkpoint in the work
     * directory.
     *
     * @param train the training split
     * @param dev the validation split
     * @return the history and the best checkpoint
     * @throws CaptionerException if the data do not fit the model or a file cannot be written
     */
    public TrainingResult fit(CaptionData train, CaptionData dev) {
        return run(train, dev, false);
    }

    /**
     * Continues an interrupted run from the checkpoint in the work directory; with the same
     * configuration and data the final parameters equal those of an uninterrupted run.
     *
     * @param train the training split (the same as before)
     * @param dev the validation split (the same as before)
     * @return the history (all epochs) and the best checkpoint
     * @throws CaptionerException if there is no checkpoint, or it was made with another
     *     configuration or model
     */
    public TrainingResult resume(CaptionData train, CaptionData dev) {
        return run(train, dev, true);
    }

    private TrainingResult run(CaptionData train, CaptionData dev, boolean resume) {
        checkData(train, "train");
        checkData(dev, "dev");
        Path checkpoint = workDir.resolve(CHECKPOINT);
        ParameterFile saved = null;
        if (resume) {
            if (!Files.isRegularFile(checkpoint)) {
                throw new CaptionerException("Cannot resume: no checkpoint at " + checkpoint);
            }
            saved = ParameterFile.read(checkpoint, CHECKPOINT_KIND);
            checkFingerprint(saved, checkpoint);
        }
        try (NDManager parameters = NDManager.newBaseManager();
                NDManager work = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(seedFor(-1));
            ShowAndTellDecoder block = new ShowAndTellDecoder(decoderConfig);
            block.initialize(parameters);
            PairList<String, Parameter> encoderParams = train.features().trainableParameters();
            boolean encoderTrains = !encoderParams.isEmpty();
            PairList<String, Parameter> all = new PairList<>();
            PairList<String, Parameter> trainable = new PairList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                all.add("decoder/" + p.getKey(), p.getValue());
            }
            for (Pair<String, Parameter> p : encoderParams) {
                all.add("encoder/" + p.getKey(), p.getValue());
            }
            for (Pair<String, Parameter> p : all) {
                // running statistics (batch norm) are saved but not optimised
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                    trainable.add(p);
                }
            }
            try (AdamOptimizer adam = new AdamOptimizer(trainable, config.beta1(), config.beta2(), config.epsilon())) {
                Loop loop = new Loop(block, encoderParams, all, adam, work, train, dev);
                if (saved != null) {
                    loop.restore(saved, checkpoint);
                }
                return loop.run(encoderTrains);
            }
        }
    }

    /** The mutable state of one run. */
    private final class Loop {
        private final ShowAndTellDecoder block;
        private final PairList<String, Parameter> encoderParams;
        private final PairList<String, Parameter> all;
        private final AdamOptimizer adam;
        private final NDManager work;
        private final ParameterStore store;
        private final CaptionData train;
        private final CaptionData dev;
        private final List<EpochResult> history = new ArrayList<>();
        private int completed;
        private double bestScore = Double.NEGATIVE_INFINITY;
        private int bestEpoch;
        private int sinceImprovement;

        Loop(ShowAndTellDecoder block, PairList<String, Parameter> encoderParams, PairList<String, Parameter> all,
                AdamOptimizer adam, NDManager work, CaptionData train, CaptionData dev) {
            this.block = block;
            this.encoderParams = encoderParams;
            this.all = all;
            this.adam = adam;
            this.work = work;
            this.store = new ParameterStore(work, false);
            this.train = train;
            this.dev = dev;
        }

        void restore(ParameterFile saved, Path source) {
            JniUtils.setGradMode(false);
            saved.restore(block.getParameters(), "decoder/", source, true);
            block.parametersChanged();
            saved.restore(encoderParams, "encoder/", source, true);
            adam.restoreFrom(saved, source);
            Map<String, String> m = saved.metadata();
            completed = Integer.parseInt(m.get("completedEpochs"));
            bestScore = Double.parseDouble(m.get("bestScore"));
            bestEpoch = Integer.parseInt(m.get("bestEpoch"));
            sinceImprovement = Integer.parseInt(m.get("sinceImprovement"));
            for (int i = 0; i < completed; i++) {
                history.add(EpochResult.decode(m.get("history." + i)));
            }
            LOG_.info("Resuming from {} after epoch {}", source, completed);
        }

        TrainingResult run(boolean encoderTrains) {
            List<List<int[]>> units = units(train);
            boolean stoppedEarly = config.patience() > 0 && sinceImprovement >= config.patience();
            for (int epoch = completed; epoch < config.epochs() && !stoppedEarly; epoch++) {
                long started = System.nanoTime();
                double lr = config.learningRateAt(epoch);
                Engine.getInstance().setRandomSeed(seedFor(epoch));
                List<List<int[]>> order = new ArrayList<>(units);
                shuffle(order, new Random(mix(config.seed(), epoch)));
                double trainLoss = trainEpoch(order, lr, epoch);
                JniUtils.setGradMode(false);
                double valLoss = evaluateLoss(samples(dev));
                double metricValue = Double.NaN;
                if (metric != null) {
                    try (LstmCaptionDecoder view = LstmCaptionDecoder.view(block)) {
                        metricValue = metric.evaluate(view, devFeatures(), dev.captions());
                    }
                }
                double score = metric != null ? metricValue : -valLoss;
                boolean improved = score > bestScore;
                if (improved) {
                    bestScore = score;
                    bestEpoch = epoch + 1;
                    sinceImprovement = 0;
                    saveBest(encoderTrains);
                } else {
                    sinceImprovement++;
                }
                EpochResult result = new EpochResult(epoch + 1, trainLoss, valLoss,
                        metric != null ? metric.name() : "val_loss", metricValue, lr,
                        (System.nanoTime() - started) / 1e9, improved);
                history.add(result);
                completed = epoch + 1;
                saveCheckpoint();
                writeLog();
                LOG_.info("{}", result.toJson());
                if (listener != null) {
                    listener.accept(result);
                }
                stoppedEarly = config.patience() > 0 && sinceImprovement >= config.patience()
                        && completed < config.epochs();
            }
            return new TrainingResult(history, bestEpoch, bestScore, workDir.resolve(BEST_DECODER),
                    encoderTrains ? workDir.resolve(BEST_ENCODER) : null, stoppedEarly);
        }

        private double trainEpoch(List<List<int[]>> order, double lr, int epoch) {
            int batches = (order.size() + config.batchSize() - 1) / config.batchSize();
            ConsoleProgress bar = progress == null ? null : ConsoleProgress.start(progress,
                    String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, config.epochs()), batches);
            double lossSum = 0;
            long tokenSum = 0;
            for (int b = 0; b < batches; b++) {
                List<int[]> batch = new ArrayList<>();
                for (List<int[]> unit : order.subList(b * config.batchSize(),
                        Math.min(order.size(), (b + 1) * config.batchSize()))) {
                    batch.addAll(unit);
                }
                try (NDManager bm = work.newSubManager()) {
                    Batch data = batch(train, batch, bm);
                    double loss;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray features = featuresFor(train.features(), data.images, bm, true);
                        NDArray logits = block.forward(store, new NDList(features, data.inputs), true)
                                .singletonOrThrow();
                        NDArray lossArray = MaskedCrossEntropy.loss(logits, data.targets);
                        collector.backward(lossArray);
                        loss = lossArray.getFloat();
                    }
                    if (!Double.isFinite(loss)) {
                        throw new CaptionerException("Training diverged: loss is " + loss + " in epoch "
                                + (epoch + 1) + ", batch " + (b + 1) + "; lower the learning rate ("
                                + lr + ") or the clip norm");
                    }
                    adam.step(lr, config.gradientClipNorm());
                    lossSum += loss * data.tokens;
                    tokenSum += data.tokens;
                }
                if (bar != null) {
                    bar.stepTo(b + 1, String.format(Locale.ROOT, "loss %.4f", lossSum / tokenSum));
                }
            }
            double mean = lossSum / tokenSum;
            if (bar != null) {
                bar.close(); // its last step already shows the epoch's mean loss
            }
            return mean;
        }

        private double evaluateLoss(List<int[]> samples) {
            double lossSum = 0;
            long tokenSum = 0;
            for (int start = 0; start < samples.size(); start += config.batchSize()) {
                List<int[]> batch = samples.subList(start, Math.min(samples.size(), start + config.batchSize()));
                try (NDManager bm = work.newSubManager()) {
                    Batch data = batch(dev, batch, bm);
                    NDArray features = featuresFor(dev.features(), data.images, bm, false);
                    NDArray logits = block.forward(store, new NDList(features, data.inputs), false).singletonOrThrow();
                    lossSum += MaskedCrossEntropy.loss(logits, data.targets).getFloat() * data.tokens;
                    tokenSum += data.tokens;
                }
            }
            return lossSum / tokenSum;
        }

        /** Computes each distinct image's features once and repeats rows for its other captions. */
        private NDArray featuresFor(FeatureSource source, int[] images, NDManager bm, boolean training) {
            Map<Integer, Integer> position = new LinkedHashMap<>();
            long[] rows = new long[images.length];
            for (int i = 0; i < images.length; i++) {
                Integer p = position.get(images[i]);
                if (p == null) {
                    p = position.size();
                    position.put(images[i], p);
                }
                rows[i] = p;
            }
            int[] unique = position.keySet().stream().mapToInt(Integer::intValue).toArray();
            NDArray features = source.features(store, bm, unique, training);
            if (unique.length == images.length) {
                return features;
            }
            NDArray index = bm.create(rows).reshape(images.length, 1)
                    .broadcast(new Shape(images.length, source.featureSize()));
            return features.gather(index, 0);
        }

        private float[][] devFeatures() {
            int n = dev.features().size();
            float[][] out = new float[n][];
            int d = dev.features().featureSize();
            for (int start = 0; start < n; start += config.batchSize()) {
                int end = Math.min(n, start + config.batchSize());
                int[] idx = new int[end - start];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = start + i;
                }
                try (NDManager bm = work.newSubManager()) {
                    float[] flat = dev.features().features(store, bm, idx, false).toFloatArray();
                    for (int i = 0; i < idx.length; i++) {
                        out[start + i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
                    }
                }
            }
            return out;
        }

        private void saveBest(boolean encoderTrains) {
            LstmCaptionDecoder.toParameterFile(block).write(workDir.resolve(BEST_DECODER));
            if (encoderTrains) {
                Map<String, ParameterFile.Tensor> arrays = new LinkedHashMap<>();
                ParameterFile.collect(encoderParams, "", arrays);
                new ParameterFile(ENCODER_KIND, Map.of(), arrays).write(workDir.resolve(BEST_ENCODER));
            }
        }

        private void saveCheckpoint() {
            Map<String, String> meta = fingerprint();
            meta.put("completedEpochs", Integer.toString(completed));
            meta.put("bestScore", Double.toString(bestScore));
            meta.put("bestEpoch", Integer.toString(bestEpoch));
            meta.put("sinceImprovement", Integer.toString(sinceImprovement));
            for (int i = 0; i < history.size(); i++) {
                meta.put("history." + i, history.get(i).encode());
            }
            Map<String, ParameterFile.Tensor> arrays = new LinkedHashMap<>();
            ParameterFile.collect(all, "", arrays);
            adam.saveTo(meta, arrays);
            new ParameterFile(CHECKPOINT_KIND, meta, arrays).write(workDir.resolve(CHECKPOINT));
        }

        private void writeLog() {
            StringBuilder sb = new StringBuilder();
            for (EpochResult r : history) {
                sb.append(r.toJson()).append('\n');
            }
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(workDir.resolve(LOG), out -> out.write(bytes));
        }
    }

    /** One padded batch: image indices, inputs ({@code <start> w..}), targets ({@code w.. <end>}). */
    private record Batch(int[] images, NDArray inputs, NDArray targets, long tokens) {}

    private Batch batch(CaptionData data, List<int[]> samples, NDManager manager) {
        int b = samples.size();
        int t = 0;
        for (int[] s : samples) {
            t = Math.max(t, Math.min(config.maxCaptionLength(), data.captions().get(s[0]).get(s[1]).length) + 1);
        }
        long[] inputs = new long[b * t];
        long[] targets = new long[b * t];
        int[] images = new int[b];
        long tokens = 0;
        for (int i = 0; i < b; i++) {
            int[] s = samples.get(i);
            images[i] = s[0];
            int[] words = data.captions().get(s[0]).get(s[1]);
            int n = Math.min(config.maxCaptionLength(), words.length);
            inputs[i * t] = Vocabulary.START;
            for (int j = 0; j < n; j++) {
                inputs[i * t + j + 1] = words[j];
                targets[i * t + j] = words[j];
            }
            targets[i * t + n] = Vocabulary.END;
            tokens += n + 1;
        }
        return new Batch(images, manager.create(inputs, new Shape(b, t)), manager.create(targets, new Shape(b, t)),
                tokens);
    }

    /** The shuffled units of an epoch: single pairs, or all pairs of one image. */
    private List<List<int[]>> units(CaptionData data) {
        List<List<int[]>> out = new ArrayList<>();
        for (int i = 0; i < data.captions().size(); i++) {
            List<int[]> image = new ArrayList<>();
            for (int j = 0; j < data.captions().get(i).size(); j++) {
                image.add(new int[] {i, j});
            }
            if (config.groupByImage()) {
                out.add(image);
            } else {
                for (int[] pair : image) {
                    out.add(List.of(pair));
                }
            }
        }
        return out;
    }

    private static List<int[]> samples(CaptionData data) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < data.captions().size(); i++) {
            for (int j = 0; j < data.captions().get(i).size(); j++) {
                out.add(new int[] {i, j});
            }
        }
        return out;
    }

    private void checkData(CaptionData data, String split) {
        if (data.features().featureSize() != decoderConfig.featureSize()) {
            throw new CaptionerException(split + " features have " + data.features().featureSize()
                    + " values per image but the decoder's featureSize is " + decoderConfig.featureSize());
        }
        int v = decoderConfig.vocabularySize();
        for (int i = 0; i < data.captions().size(); i++) {
            List<int[]> caps = data.captions().get(i);
            for (int j = 0; j < caps.size(); j++) {
                int[] c = caps.get(j);
                for (int k = 0; k < c.length; k++) {
                    if (c[k] < Vocabulary.UNK || c[k] >= v) {
                        throw new CaptionerException(String.format(Locale.ROOT,
                                "%s captions[%d][%d][%d] must be a word id in [%d, %d) (vocabulary size), found %d",
                                split, i, j, k, Vocabulary.UNK, v, c[k]));
                    }
                }
            }
        }
    }

    private Map<String, String> fingerprint() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("decoderConfig", decoderConfig.toString());
        m.put("trainingConfig", config.toString());
        return m;
    }

    private void checkFingerprint(ParameterFile saved, Path file) {
        for (Map.Entry<String, String> e : fingerprint().entrySet()) {
            String found = saved.metadata().get(e.getKey());
            if (!e.getValue().equals(found)) {
                throw new CaptionerException(file + ": checkpoint was made with " + e.getKey() + " " + found
                        + ", cannot resume with " + e.getValue());
            }
        }
    }

    private int seedFor(int epoch) {
        return (int) mix(config.seed(), epoch);
    }

    /** A 64-bit mix of seed and epoch (SplitMix64 finaliser), so every epoch gets its own stream. */
    static long mix(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 2L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static <T> void shuffle(List<T> list, Random random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T tmp = list.get(i);
            list.set(i, list.get(j));
            list.set(j, tmp);
        }
    }

    /** Collects a {@link Trainer}'s settings; setters may be called in any order. */
    public static final class Builder {
        private DecoderConfig decoderConfig;
        private TrainingConfig trainingConfig;
        private Path workDir;
        private ValidationMetric metric;
        private PrintStream progress;
        private Consumer<EpochResult> listener;

        private Builder() {}

        /**
         * Sets the decoder architecture (required).
         *
         * @param decoderConfig the architecture
         * @return this builder
         */
        public Builder setDecoderConfig(DecoderConfig decoderConfig) {
            this.decoderConfig = decoderConfig;
            return this;
        }

        /**
         * Sets the training configuration (required).
         *
         * @param trainingConfig the configuration
         * @return this builder
         */
        public Builder setTrainingConfig(TrainingConfig trainingConfig) {
            this.trainingConfig = trainingConfig;
            return this;
        }

        /**
         * Sets the directory for checkpoints, the best model and the log (required; created if
         * absent).
         *
         * @param workDir the directory
         * @return this builder
         */
        public Builder setWorkDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /**
         * Sets the validation metric for early stopping and checkpoint selection; without one the
         * validation loss decides.
         *
         * @param metric higher-is-better score
         * @return this builder
         */
        public Builder optMetric(ValidationMetric metric) {
            this.metric = metric;
            return this;
        }

        /**
         * Draws a progress bar per epoch on this stream (for example {@code System.err}), redrawn in
         * place on a terminal and as a plain line every few seconds elsewhere; none by default.
         *
         * @param progress the stream, not closed
         * @return this builder
         */
        public Builder optProgress(PrintStream progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Calls this after every epoch, once the checkpoint and log are written; an exception it
         * throws aborts training (the checkpoint stays resumable).
         *
         * @param listener receives each epoch's result
         * @return this builder
         */
        public Builder optEpochListener(Consumer<EpochResult> listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Validates and builds the trainer.
         *
         * @return the trainer
         * @throws IllegalArgumentException if a required setting is missing
         */
        public Trainer build() {
            if (decoderConfig == null) {
                throw new IllegalArgumentException("decoderConfig is required: call setDecoderConfig");
            }
            if (trainingConfig == null) {
                throw new IllegalArgumentException("trainingConfig is required: call setTrainingConfig");
            }
            if (workDir == null) {
                throw new IllegalArgumentException("workDir is required: call setWorkDir");
            }
            return new Trainer(this);
        }
    }
}
