package io.captioner.models.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.captioner.CaptionDecoder;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import io.captioner.data.EncodedCaptions;
import io.captioner.data.Split;
import io.captioner.data.TokenizedCaptions;
import io.captioner.eval.CaptionEvaluator;
import io.captioner.eval.EvaluationResult;
import io.captioner.models.artifact.ArtifactWriter;
import io.captioner.models.artifact.Provenance;
import io.captioner.models.decoder.DecoderSpec;
import io.captioner.models.decoder.InferenceSettings;
import io.captioner.models.decoder.Precision;
import io.captioner.search.CaptionSearch;
import io.captioner.search.SearchResult;
import io.captioner.text.Vocabulary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one training pipeline: tokenized captions → vocabulary → encoded splits → {@link Trainer}
 * (with its listeners) → captions of the test split under each requested decoding → scores → a
 * saved model artifact. The quickstart, the Flickr8k recipe and features extracted elsewhere (for
 * example on a cluster) are configurations of it: they differ in their data, in where the features
 * come from ({@link PipelineFeatures}) and in the decoder and training settings.
 *
 * <p>Files under the output directory: {@value #TRAINING_DIR}/ (checkpoint, best parameters,
 * JSON-lines log; see {@link TrainingListeners#standard}) and {@value #MODEL_DIR}/ (the artifact,
 * written by {@link ArtifactWriter} through a temporary directory, so a failed run leaves no model).
 *
 * <p>Build with {@link #builder()}; run once with {@link #run}. Not thread-safe; run one pipeline at a
 * time per process (see {@link Trainer}).
 */
public final class TrainingPipeline {

    /** Name of the training work directory under the output directory. */
    public static final String TRAINING_DIR = "training";
    /** Name of the saved model under the output directory. */
    public static final String MODEL_DIR = "model";

    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private final Map<Split, TokenizedCaptions> splits;
    private final Vocabulary.Builder vocabulary;
    private final DecoderFactory decoder;
    private final TrainingConfig trainingConfig;
    private final ValidationMetric metric;
    private final List<DecodingOptions> decodings;
    private final Path outDir;
    private final List<TrainingListener> listeners;
    private final PipelineListener events;
    private final String datasetName;
    private final Precision precision;
    private boolean ran;

    private TrainingPipeline(Builder b) {
        this.splits = b.splits;
        this.vocabulary = b.vocabulary;
        this.decoder = b.decoder;
        this.trainingConfig = b.trainingConfig;
        this.metric = b.metric;
        this.decodings = List.copyOf(b.decodings);
        this.outDir = b.outDir.toAbsolutePath().normalize();
        this.listeners = List.copyOf(b.listeners);
        this.events = b.events;
        this.datasetName = b.datasetName;
        this.precision = b.precision;
    }

    /**
     * Creates a builder; the splits, decoder factory, training configuration, decodings and output
     * directory are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Makes a decoder spec once the vocabulary size and the feature shape are known.
     */
    @FunctionalInterface
    public interface DecoderFactory {
        /**
         * Creates the spec.
         *
         * @param vocabularySize V, the vocabulary built from the training captions
         * @param featureShape the shape of one image's features
         * @return the decoder spec to train
         */
        DecoderSpec create(int vocabularySize, int[] featureShape);
    }

    /** Hears the pipeline's stages, for example to print them; every method has an empty default. */
    public interface PipelineListener {
        /**
         * Called once the vocabulary is built from the training captions.
         *
         * @param vocabulary the vocabulary
         * @param splits the tokenized splits
         */
        default void onVocabulary(Vocabulary vocabulary, Map<Split, TokenizedCaptions> splits) {}

        /**
         * Called before training starts.
         *
         * @param decoder the decoder spec
         * @param config the training configuration
         */
        default void onTrainingStart(DecoderSpec decoder, TrainingConfig config) {}

        /**
         * Called once the model is saved.
         *
         * @param model the artifact directory
         */
        default void onSaved(Path model) {}
    }

    /**
     * The test split captioned under one decoding.
     *
     * @param options how the captions were chosen
     * @param hypotheses image id → caption, in test order
     * @param scores the captions' scores against the test references
     */
    public record TestRun(DecodingOptions options, Map<String, String> hypotheses, EvaluationResult scores) {

        /**
         * Copies the map.
         *
         * @param options see the record description
         * @param hypotheses see the record description
         * @param scores see the record description
         */
        public TestRun {
            hypotheses = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hypotheses));
        }
    }

    /**
     * What a run produced.
     *
     * @param vocabulary the vocabulary built from the training captions
     * @param decoder the decoder spec that was trained
     * @param training the training outcome (history, best epoch)
     * @param tests one entry per requested decoding, in request order; the first is the model's
     *     default decoding
     * @param provenance what the artifact records about its training
     * @param model the saved artifact directory
     */
    public record Result(Vocabulary vocabulary, DecoderSpec decoder, TrainingResult training, List<TestRun> tests,
            Provenance provenance, Path model) {

        /**
         * Copies the list.
         *
         * @param vocabulary see the record description
         * @param decoder see the record description
         * @param training see the record description
         * @param tests see the record description
         * @param provenance see the record description
         * @param model see the record description
         */
        public Result {
            tests = List.copyOf(tests);
        }

        /**
         * Returns the test run under the model's default decoding.
         *
         * @return the first test run
         */
        public TestRun test() {
            return tests.get(0);
        }
    }

    /**
     * Returns the tokenized splits.
     *
     * @return an unmodifiable map with train, dev and test
     */
    public Map<Split, TokenizedCaptions> splits() {
        return splits;
    }

    /**
     * Runs every stage.
     *
     * @param features the features of the splits' images, in the splits' image order
     * @return the vocabulary, training outcome, test scores and the saved model
     * @throws CaptionerException if the data do not fit, training fails or a file cannot be written;
     *     no model is saved then
     * @throws IllegalArgumentException if the features do not have one row per image
     */
    public Result run(PipelineFeatures features) {
        Objects.requireNonNull(features, "features");
        if (ran) {
            throw new IllegalStateException("a pipeline runs once; build another one");
        }
        ran = true;
        TokenizedCaptions train = splits.get(Split.TRAIN);
        TokenizedCaptions dev = splits.get(Split.DEV);
        TokenizedCaptions test = splits.get(Split.TEST);
        Vocabulary vocab = vocabulary.addAll(train.allTokens()).build();
        events.onVocabulary(vocab, splits);

        DecoderSpec spec = decoder.create(vocab.size(), features.featureShape());
        if (!Arrays.equals(spec.featureShape(), features.featureShape())) {
            throw new IllegalArgumentException("the decoder reads features " + Arrays.toString(spec.featureShape())
                    + " but the pipeline's features are " + Arrays.toString(features.featureShape()));
        }
        if (!spec.type().precisions().contains(precision)) {
            // before training, not after it: the saved model could not decode at this precision
            throw new IllegalArgumentException("the " + spec.type() + " decoder decodes at precision "
                    + spec.type().precisions() + " only, but the pipeline's precision is " + precision);
        }
        events.onTrainingStart(spec, trainingConfig);
        Path workDir = outDir.resolve(TRAINING_DIR);
        List<TrainingListener> all = TrainingListeners.standard(workDir, trainingConfig);
        all.addAll(listeners);
        Trainer trainer = Trainer.builder().setDecoder(spec).setTrainingConfig(trainingConfig).optMetric(metric)
                .addListeners(all).build();
        TrainingResult trained = trainer.fit(
                new CaptionData(features.source(Split.TRAIN), EncodedCaptions.encode(train, vocab)),
                new CaptionData(features.source(Split.DEV), EncodedCaptions.encode(dev, vocab)));
        features.trained(trained);

        FeatureRows testRows = features.featureRows(Split.TEST);
        if (testRows.size() != test.size()) {
            throw new IllegalArgumentException("test features must have one row per test image: " + test.size()
                    + " images, found " + testRows.size() + " rows");
        }
        Map<String, List<String>> references = test.references();
        List<Map<String, String>> hypotheses = new ArrayList<>();
        for (int i = 0; i < decodings.size(); i++) {
            hypotheses.add(new LinkedHashMap<>());
        }
        try (CaptionDecoder best = spec.type().load(trained.bestDecoder(), spec, InferenceSettings.of(precision))) {
            // one chunk of test features at a time, each read once for every decoding
            int chunk = testRows.chunkSize();
            for (int start = 0; start < test.size(); start += chunk) {
                int end = Math.min(test.size(), start + chunk);
                float[][] rows = testRows.rows(start, end);
                List<String> names = test.imageIds().subList(start, end);
                for (int i = 0; i < decodings.size(); i++) {
                    hypotheses.get(i).putAll(caption(CaptionSearch.of(decodings.get(i)), best, vocab, names, rows));
                }
            }
        }
        List<TestRun> runs = new ArrayList<>();
        for (int i = 0; i < decodings.size(); i++) {
            runs.add(new TestRun(decodings.get(i), hypotheses.get(i),
                    CaptionEvaluator.evaluate(hypotheses.get(i), references)));
        }

        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(metric == null ? "dev_neg_loss" : "dev_" + metric.name(), trained.bestScore());
        Provenance provenance = new Provenance(datasetName, digest(train, dev, test), train.size(), dev.size(),
                test.size(), trained.bestEpoch(), trainingConfig.seed(),
                GSON.toJsonTree(trainingConfig).getAsJsonObject(), metrics);
        Path model = outDir.resolve(MODEL_DIR);
        ArtifactWriter.builder().setEncoder(features.encoder(), features.encoderSpec())
                .optEncoderParameters(features.encoderParameters())
                .setDecoder(trained.bestDecoder())
                .setVocabulary(vocab)
                .optDecodingOptions(decodings.get(0))
                .optProvenance(provenance)
                .optPrecision(precision)
                .build()
                .write(model);
        events.onSaved(model);
        return new Result(vocab, spec, trained, runs, provenance, model);
    }

    /**
     * Captions every row of a feature matrix with a search and returns the best caption's words.
     *
     * @param search the search (greedy, beam, ...)
     * @param decoder the trained decoder
     * @param vocabulary turns ids into words
     * @param names image names, one per row, in row order
     * @param features one feature row per image
     * @return image name to caption (words joined by single spaces), in row order
     */
    public static Map<String, String> caption(CaptionSearch search, CaptionDecoder decoder, Vocabulary vocabulary,
            List<String> names, float[][] features) {
        List<SearchResult> results = search.decode(decoder, features);
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            out.put(names.get(i), String.join(" ", vocabulary.decode(results.get(i).best().tokenArray())));
        }
        return out;
    }

    /** SHA-256 over the three splits' own digests, in train, dev, test order. */
    private static String digest(TokenizedCaptions train, TokenizedCaptions dev, TokenizedCaptions test) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (TokenizedCaptions t : List.of(train, dev, test)) {
                md.update(t.digest().getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Collects a pipeline's configuration; setters may be called in any order. */
    public static final class Builder {
        private Map<Split, TokenizedCaptions> splits;
        private Vocabulary.Builder vocabulary = Vocabulary.builder();
        private DecoderFactory decoder;
        private TrainingConfig trainingConfig;
        private ValidationMetric metric;
        private final List<DecodingOptions> decodings = new ArrayList<>();
        private Path outDir;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private PipelineListener events = new PipelineListener() {};
        private String datasetName = "unknown";
        private Precision precision = Precision.FP32;

        private Builder() {}

        /**
         * Sets the precision the saved model decodes at by default, which the test split is also
         * captioned at (default {@link Precision#FP32}); training always runs in float32.
         *
         * @param precision the number format of the decoder's step weights
         * @return this builder
         */
        public Builder optPrecision(Precision precision) {
            this.precision = Objects.requireNonNull(precision, "precision");
            return this;
        }

        /**
         * Sets the data (required): the tokenized captions of the train, dev and test splits.
         *
         * @param train the training images and captions
         * @param dev the validation images and captions
         * @param test the held-out images and captions
         * @return this builder
         */
        public Builder setSplits(TokenizedCaptions train, TokenizedCaptions dev, TokenizedCaptions test) {
            Map<Split, TokenizedCaptions> m = new java.util.EnumMap<>(Split.class);
            m.put(Split.TRAIN, Objects.requireNonNull(train, "train"));
            m.put(Split.DEV, Objects.requireNonNull(dev, "dev"));
            m.put(Split.TEST, Objects.requireNonNull(test, "test"));
            this.splits = java.util.Collections.unmodifiableMap(m);
            return this;
        }

        /**
         * Sets how the vocabulary is built from the training captions (default: {@code
         * Vocabulary.builder()} with its defaults); the pipeline adds the captions and builds it.
         *
         * @param vocabulary a builder with its options set and no captions added
         * @return this builder
         */
        public Builder optVocabulary(Vocabulary.Builder vocabulary) {
            this.vocabulary = vocabulary;
            return this;
        }

        /**
         * Sets how the decoder spec is made once V and the feature shape are known (required).
         *
         * @param decoder the factory
         * @return this builder
         */
        public Builder setDecoder(DecoderFactory decoder) {
            this.decoder = decoder;
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
         * Sets the validation metric that picks the best epoch (default: the validation loss).
         *
         * @param metric the metric
         * @return this builder
         */
        public Builder optMetric(ValidationMetric metric) {
            this.metric = metric;
            return this;
        }

        /**
         * Sets how the test split is captioned (at least one, required): the first is also the saved
         * model's default decoding; the others are scored for comparison.
         *
         * @param first the model's default decoding
         * @param others further decodings to score
         * @return this builder
         */
        public Builder setDecodings(DecodingOptions first, DecodingOptions... others) {
            decodings.clear();
            decodings.add(Objects.requireNonNull(first, "decoding"));
            for (DecodingOptions o : others) {
                decodings.add(Objects.requireNonNull(o, "decoding"));
            }
            return this;
        }

        /**
         * Sets the output directory (required; created if absent).
         *
         * @param outDir the directory for {@value TrainingPipeline#TRAINING_DIR}/ and {@value
         *     TrainingPipeline#MODEL_DIR}/
         * @return this builder
         */
        public Builder setOutDir(Path outDir) {
            this.outDir = outDir;
            return this;
        }

        /**
         * Adds training listeners after the standard ones (for example a {@link ProgressListener}).
         *
         * @param added the listeners
         * @return this builder
         */
        public Builder addListeners(TrainingListener... added) {
            for (TrainingListener l : added) {
                listeners.add(Objects.requireNonNull(l, "listener"));
            }
            return this;
        }

        /**
         * Sets who hears the pipeline's stages (default: nobody).
         *
         * @param events the listener
         * @return this builder
         */
        public Builder optPipelineListener(PipelineListener events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /**
         * Sets the dataset's description recorded in the model's provenance (default {@code
         * "unknown"}).
         *
         * @param name for example {@code "flickr8k-layout:/data/flickr8k"}
         * @return this builder
         */
        public Builder optDatasetName(String name) {
            this.datasetName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Validates and builds the pipeline.
         *
         * @return the pipeline
         * @throws IllegalArgumentException naming the first missing or invalid setting
         */
        public TrainingPipeline build() {
            if (splits == null) {
                throw new IllegalArgumentException("splits are required: call setSplits");
            }
            for (Map.Entry<Split, TokenizedCaptions> e : splits.entrySet()) {
                if (e.getValue().size() == 0) {
                    throw new IllegalArgumentException("split " + e.getKey() + " must hold at least one image");
                }
            }
            if (decoder == null) {
                throw new IllegalArgumentException("decoder is required: call setDecoder");
            }
            if (trainingConfig == null) {
                throw new IllegalArgumentException("trainingConfig is required: call setTrainingConfig");
            }
            if (decodings.isEmpty()) {
                throw new IllegalArgumentException("at least one decoding is required: call setDecodings");
            }
            if (outDir == null) {
                throw new IllegalArgumentException("outDir is required: call setOutDir");
            }
            Objects.requireNonNull(vocabulary, "vocabulary");
            return new TrainingPipeline(this);
        }
    }
}
