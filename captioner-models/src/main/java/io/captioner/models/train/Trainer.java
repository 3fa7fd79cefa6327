package io.captioner.models.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.captioner.CaptionDecoder;
import io.captioner.CaptionerException;
import io.captioner.data.EncodedCaptions;
import io.captioner.models.EngineRandom;
import io.captioner.models.decoder.DecoderSpec;
import io.captioner.models.decoder.TrainableDecoder;
import io.captioner.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains any decoder that implements the training contract ({@link DecoderSpec} / {@link
 * TrainableDecoder}), and through {@link FeatureSource#trainableEncoder} optionally an image encoder
 * with it, by teacher forcing: masked cross-entropy (plus the decoder's own regulariser), Adam,
 * global-norm clipping and a per-epoch learning-rate schedule.
 *
 * <p>The loop only runs batches and epochs; {@link TrainingListener}s do the rest — checkpoints and
 * the best model ({@link CheckpointListener}), the JSON-lines log ({@link TrainingLog}), progress
 * ({@link ProgressListener}), the divergence check ({@link DivergenceCheck}), early stopping
 * ({@link EarlyStopping}). {@link TrainingListeners#standard} gives the usual set.
 *
 * <p>Randomness: before initialising the decoder and at the start of every epoch the loop seeds
 * the engine's global generator ({@link EngineRandom#seed}, which draws initialisation and dropout)
 * with a value mixed from {@link TrainingConfig#seed()} and the epoch, and shuffles the epoch's
 * (image, caption) pairs with a Java generator seeded the same way. Together with a checkpoint of
 * the parameters and Adam's moments this makes {@link #resume} reach exactly the parameters of an
 * uninterrupted run.
 *
 * <p>After each epoch it computes the validation loss and, if a {@link ValidationMetric} is set,
 * the metric; the higher the metric (or the lower the loss), the better the epoch.
 *
 * <p>Native memory: parameters and optimiser state live in managers closed when training ends;
 * each batch runs in a sub-manager closed after the batch. Not thread-safe; PyTorch allows only one
 * gradient collection at a time per process, so run one trainer at a time.
 */
public final class Trainer {

    /** Name prefix of the decoder's parameters in checkpoints. */
    static final String DECODER_PREFIX = "decoder/";
    /** Name prefix of a trainable encoder's parameters in checkpoints. */
    static final String ENCODER_PREFIX = "encoder/";

    private final DecoderSpec decoderSpec;
    private final TrainingConfig config;
    private final ValidationMetric metric;
    private final List<TrainingListener> listeners;

    private Trainer(Builder b) {
        this.decoderSpec = b.decoderSpec;
        this.config = b.trainingConfig;
        this.metric = b.metric;
        this.listeners = List.copyOf(b.listeners);
    }

    /**
     * Creates a builder; the decoder spec and the training config are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the listeners, in the order they are called.
     *
     * @return an unmodifiable list
     */
    public List<TrainingListener> listeners() {
        return listeners;
    }

    /**
     * Trains from freshly initialised parameters (a checkpoint listener replaces any earlier
     * checkpoint in its directory).
     *
     * @param train the training split
     * @param dev the validation split
     * @return the history and the best epoch
     * @throws CaptionerException if the data do not fit the model, training diverges (with a
     *     {@link DivergenceCheck}) or a file cannot be written
     */
    public TrainingResult fit(CaptionData train, CaptionData dev) {
        return run(train, dev, null);
    }

    /**
     * Continues an interrupted run from the checkpoint of its {@link CheckpointListener}; with the
     * same configuration and data the final parameters equal those of an uninterrupted run.
     *
     * @param train the training split (the same as before)
     * @param dev the validation split (the same as before)
     * @return the history (all epochs) and the best epoch
     * @throws IllegalStateException if no {@link CheckpointListener} was added
     * @throws CaptionerException if there is no checkpoint, or it was made with another
     *     configuration or decoder
     */
    public TrainingResult resume(CaptionData train, CaptionData dev) {
        CheckpointListener checkpoints = checkpointListener();
        if (checkpoints == null) {
            throw new IllegalStateException("resume needs a CheckpointListener among the trainer's listeners");
        }
        return run(train, dev, checkpoints);
    }

    private CheckpointListener checkpointListener() {
        for (TrainingListener l : listeners) {
            if (l instanceof CheckpointListener c) {
                return c;
            }
        }
        return null;
    }

    private TrainingResult run(CaptionData train, CaptionData dev, CheckpointListener resumeFrom) {
        checkData(train, "train");
        checkData(dev, "dev");
        try (NDManager parameters = NDManager.newBaseManager();
                NDManager work = NDManager.newBaseManager()) {
            EngineRandom.seed(mix(config.seed(), -1));
            TrainableDecoder decoder = decoderSpec.newTrainable(parameters);
            PairList<String, Parameter> encoderParams = train.features().trainableParameters();
            PairList<String, Parameter> all = new PairList<>();
            PairList<String, Parameter> trainable = new PairList<>();
            for (Pair<String, Parameter> p : decoder.parameters()) {
                all.add(DECODER_PREFIX + p.getKey(), p.getValue());
            }
            for (Pair<String, Parameter> p : encoderParams) {
                all.add(ENCODER_PREFIX + p.getKey(), p.getValue());
            }
            for (Pair<String, Parameter> p : all) {
                // running statistics (batch norm) are saved but not optimised
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                    trainable.add(p);
                }
            }
            try (AdamOptimizer adam = new AdamOptimizer(trainable, config.beta1(), config.beta2(), config.epsilon())) {
                TrainingContext context = new TrainingContext(config, decoder, encoderParams, all, adam,
                        metric != null ? metric.name() : "val_loss");
                if (resumeFrom != null) {
                    resumeFrom.restore(context);
                }
                try {
                    return new Loop(context, work, train, dev).run();
                } catch (RuntimeException e) {
                    for (TrainingListener l : listeners) {
                        try {
                            l.onTrainingFailed(context, e);
                        } catch (RuntimeException suppressed) {
                            e.addSuppressed(suppressed);
                        }
                    }
                    throw e;
                }
            }
        }
    }

    /** The mutable state of one run. */
    private final class Loop {
        private final TrainingContext context;
        private final TrainableDecoder decoder;
        private final NDManager work;
        private final ParameterStore store;
        private final CaptionData train;
        private final CaptionData dev;

        Loop(TrainingContext context, NDManager work, CaptionData train, CaptionData dev) {
            this.context = context;
            this.decoder = context.decoder();
            this.work = work;
            this.store = new ParameterStore(work, false);
            this.train = train;
            this.dev = dev;
        }

        TrainingResult run() {
            for (TrainingListener l : listeners) {
                l.onTrainingBegin(context);
            }
            List<List<Sample>> units = units(train);
            for (int epoch = context.completedEpochs(); epoch < config.epochs() && !context.stopRequested(); epoch++) {
                long started = System.nanoTime();
                double lr = config.learningRateAt(epoch);
                EngineRandom.seed(mix(config.seed(), epoch));
                List<List<Sample>> order = new ArrayList<>(units);
                shuffle(order, new Random(mix(config.seed(), epoch)));
                double trainLoss = trainEpoch(order, lr, epoch);
                JniUtils.setGradMode(false);
                double valLoss = evaluateLoss(samples(dev));
                double metricValue = Double.NaN;
                if (metric != null) {
                    try (CaptionDecoder view = decoder.inferenceView()) {
                        metricValue = metric.evaluate(view, devRows(), dev.captions());
                    }
                }
                double score = metric != null ? metricValue : -valLoss;
                boolean improved = score > context.bestScore();
                EpochResult result = new EpochResult(epoch + 1, trainLoss, valLoss, context.metricName(), metricValue,
                        lr, (System.nanoTime() - started) / 1e9, improved);
                context.record(result, score);
                for (TrainingListener l : listeners) {
                    l.onEpochEnd(context, result);
                }
            }
            TrainingResult result = new TrainingResult(context.history(), context.bestEpoch(), context.bestScore(),
                    bestFile(true), context.encoderTrains() ? bestFile(false) : null,
                    context.stopRequested() && context.completedEpochs() < config.epochs());
            for (TrainingListener l : listeners) {
                l.onTrainingEnd(context, result);
            }
            return result;
        }

        private java.nio.file.Path bestFile(boolean decoderFile) {
            CheckpointListener c = checkpointListener();
            if (c == null) {
                return null;
            }
            return decoderFile ? c.bestDecoder() : c.bestEncoder();
        }

        private double trainEpoch(List<List<Sample>> order, double lr, int epoch) {
            int batches = (order.size() + config.batchSize() - 1) / config.batchSize();
            for (TrainingListener l : listeners) {
                l.onEpochBegin(context, epoch + 1, batches);
            }
            double lossSum = 0;
            long tokenSum = 0;
            for (int b = 0; b < batches; b++) {
                List<Sample> batch = new ArrayList<>();
                for (List<Sample> unit : order.subList(b * config.batchSize(),
                        Math.min(order.size(), (b + 1) * config.batchSize()))) {
                    batch.addAll(unit);
                }
                try (NDManager bm = work.newSubManager()) {
                    long t0 = System.nanoTime();
                    Batch data = batch(train, batch, bm);
                    double loss;
                    long t1;
                    long t2;
                    long t3;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        t1 = System.nanoTime();
                        RowFeatures features = featuresFor(train.features(), data.images, bm, true);
                        t2 = System.nanoTime();
                        NDArray lossArray = loss(features, data, true);
                        t3 = System.nanoTime();
                        collector.backward(lossArray);
                        loss = lossArray.getFloat();
                    }
                    long t4 = System.nanoTime();
                    double running = (lossSum + loss * data.tokens) / (tokenSum + data.tokens);
                    BatchResult batchResult = new BatchResult(epoch + 1, b + 1, batches, lr, loss, data.tokens,
                            running);
                    for (TrainingListener l : listeners) {
                        l.onTrainingBatch(context, batchResult);
                    }
                    long t5 = System.nanoTime();
                    context.optimizer().step(lr, config.gradientClipNorm());
                    long t6 = System.nanoTime();
                    context.recordBatch(batch.size(), t1 - t0, t2 - t1, t3 - t2, t4 - t3, t6 - t5, t5 - t4);
                    lossSum += loss * data.tokens;
                    tokenSum += data.tokens;
                }
            }
            return lossSum / tokenSum;
        }

        private NDArray loss(RowFeatures features, Batch data, boolean training) {
            TrainableDecoder.Output out = decoder.forward(store, features.images(), features.rows(), data.inputs,
                    training);
            NDArray loss = MaskedCrossEntropy.loss(out.logits(), data.targets);
            return out.regularizer() == null ? loss : loss.add(out.regularizer());
        }

        private double evaluateLoss(List<Sample> samples) {
            double lossSum = 0;
            long tokenSum = 0;
            for (int start = 0; start < samples.size(); start += config.batchSize()) {
                List<Sample> batch = samples.subList(start, Math.min(samples.size(), start + config.batchSize()));
                try (NDManager bm = work.newSubManager()) {
                    Batch data = batch(dev, batch, bm);
                    RowFeatures features = featuresFor(dev.features(), data.images, bm, false);
                    lossSum += loss(features, data, false).getFloat() * data.tokens;
                    tokenSum += data.tokens;
                }
            }
            return lossSum / tokenSum;
        }

        /**
         * Computes each distinct image's features once, with the image of each row (null when every
         * row has its own image, in order); the decoder repeats them for an image's other captions.
         */
        private RowFeatures featuresFor(FeatureSource source, int[] images, NDManager bm, boolean training) {
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
            return new RowFeatures(features, unique.length == images.length ? null : bm.create(rows));
        }

        /** The dev features for the metric, computed a range at a time when the metric asks. */
        private FeatureRows devRows() {
            FeatureSource source = dev.features();
            int d = source.featureLength();
            return new FeatureRows() {
                @Override
                public int size() {
                    return source.size();
                }

                @Override
                public int[] featureShape() {
                    return source.featureShape();
                }

                @Override
                public float[][] rows(int from, int to) {
                    java.util.Objects.checkFromToIndex(from, to, source.size());
                    float[][] out = new float[to - from][];
                    for (int start = from; start < to; start += config.batchSize()) {
                        int end = Math.min(to, start + config.batchSize());
                        int[] idx = new int[end - start];
                        for (int i = 0; i < idx.length; i++) {
                            idx[i] = start + i;
                        }
                        try (NDManager bm = work.newSubManager()) {
                            float[] flat = source.features(store, bm, idx, false).toFloatArray();
                            for (int i = 0; i < idx.length; i++) {
                                out[start - from + i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
                            }
                        }
                    }
                    return out;
                }
            };
        }
    }

    /** Features {@code [I, F...]} of a batch's distinct images and each row's image {@code [B]}, or null. */
    private record RowFeatures(NDArray images, NDArray rows) {}

    /** One (image, caption) pair of a split. */
    private record Sample(int image, int caption) {}

    /** One padded batch: image indices, inputs ({@code <start> w..}), targets ({@code w.. <end>}). */
    private record Batch(int[] images, NDArray inputs, NDArray targets, long tokens) {}

    private Batch batch(CaptionData data, List<Sample> samples, NDManager manager) {
        int b = samples.size();
        int t = 0;
        for (Sample s : samples) {
            t = Math.max(t, Math.min(config.maxCaptionLength(), data.captions().caption(s.image, s.caption).length) + 1);
        }
        long[] inputs = new long[b * t];
        long[] targets = new long[b * t];
        int[] images = new int[b];
        long tokens = 0;
        for (int i = 0; i < b; i++) {
            Sample s = samples.get(i);
            images[i] = s.image;
            int[] words = data.captions().caption(s.image, s.caption);
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
    private List<List<Sample>> units(CaptionData data) {
        List<List<Sample>> out = new ArrayList<>();
        for (int i = 0; i < data.captions().size(); i++) {
            List<Sample> image = new ArrayList<>();
            for (int j = 0; j < data.captions().captionCount(i); j++) {
                image.add(new Sample(i, j));
            }
            if (config.groupByImage()) {
                out.add(image);
            } else {
                for (Sample pair : image) {
                    out.add(List.of(pair));
                }
            }
        }
        return out;
    }

    private static List<Sample> samples(CaptionData data) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < data.captions().size(); i++) {
            for (int j = 0; j < data.captions().captionCount(i); j++) {
                out.add(new Sample(i, j));
            }
        }
        return out;
    }

    private void checkData(CaptionData data, String split) {
        int[] expected = decoderSpec.featureShape();
        if (!Arrays.equals(data.features().featureShape(), expected)) {
            throw new CaptionerException(split + " features have shape " + Arrays.toString(data.features().featureShape())
                    + " per image but the decoder reads " + Arrays.toString(expected));
        }
        int v = decoderSpec.vocabularySize();
        EncodedCaptions captions = data.captions();
        for (int i = 0; i < captions.size(); i++) {
            for (int j = 0; j < captions.captionCount(i); j++) {
                int[] c = captions.caption(i, j);
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
        private DecoderSpec decoderSpec;
        private TrainingConfig trainingConfig;
        private ValidationMetric metric;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder() {}

        /**
         * Sets the decoder architecture (required): any {@link DecoderSpec}, such as a {@link
         * io.captioner.models.decoder.DecoderConfig}.
         *
         * @param decoderSpec the architecture
         * @return this builder
         */
        public Builder setDecoder(DecoderSpec decoderSpec) {
            this.decoderSpec = decoderSpec;
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
         * Sets the validation metric that decides the best epoch; without one the validation loss
         * decides.
         *
         * @param metric higher-is-better score
         * @return this builder
         */
        public Builder optMetric(ValidationMetric metric) {
            this.metric = metric;
            return this;
        }

        /**
         * Adds listeners, called after those added before, in the given order.
         *
         * @param added the listeners
         * @return this builder
         */
        public Builder addListeners(TrainingListener... added) {
            for (TrainingListener l : added) {
                listeners.add(java.util.Objects.requireNonNull(l, "listener"));
            }
            return this;
        }

        /**
         * Adds listeners, called after those added before, in the list's order.
         *
         * @param added the listeners
         * @return this builder
         */
        public Builder addListeners(List<? extends TrainingListener> added) {
            return addListeners(added.toArray(new TrainingListener[0]));
        }

        /**
         * Validates and builds the trainer.
         *
         * @return the trainer
         * @throws IllegalArgumentException if a required setting is missing
         */
        public Trainer build() {
            if (decoderSpec == null) {
                throw new IllegalArgumentException("decoder spec is required: call setDecoder");
            }
            if (trainingConfig == null) {
                throw new IllegalArgumentException("trainingConfig is required: call setTrainingConfig");
            }
            return new Trainer(this);
        }
    }
}
