package io.captioner.examples.train;

import com.google.gson.JsonObject;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import io.captioner.data.CaptionDataset;
import io.captioner.data.Flickr8kReader;
import io.captioner.data.ImageCaptions;
import io.captioner.data.Split;
import io.captioner.data.TokenizedCaptions;
import io.captioner.eval.EvaluationResult;
import io.captioner.models.EngineRandom;
import io.captioner.io.Digests;
import io.captioner.models.artifact.EncoderSpec;
import io.captioner.models.cache.CacheKey;
import io.captioner.models.cache.FeatureCache;
import io.captioner.models.cache.FeatureDType;
import io.captioner.models.cache.FeatureShards;
import io.captioner.models.cache.Progress;
import io.captioner.models.cache.StaleFeatureCacheException;
import io.captioner.models.decoder.AttentionDecoderConfig;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.DecoderSpec;
import io.captioner.models.decoder.DecoderType;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.EncoderKind;
import io.captioner.models.encoder.EncoderOptions;
import io.captioner.models.encoder.Encoders;
import io.captioner.models.encoder.TorchvisionArch;
import io.captioner.models.image.ImageLoader;
import io.captioner.models.train.BleuMetric;
import io.captioner.models.train.PipelineFeatures;
import io.captioner.models.train.ProgressListener;
import io.captioner.models.train.TrainingConfig;
import io.captioner.models.train.TrainingPipeline;
import io.captioner.models.internal.ConsoleProgress;
import io.captioner.text.Tokenizer;
import io.captioner.text.Vocabulary;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Flickr8k recipe on a dataset in Flickr8k layout: reads the annotations, keeps the images
 * whose file exists, builds the vocabulary from the training captions, encodes every image once
 * with a frozen CNN into a {@link FeatureCache}, trains a decoder on the cached features with
 * early stopping on dev BLEU-4, captions the test split and scores it, and saves the model. The
 * decoder is Show and Tell's LSTM on the pooled vector ({@link DecoderType#SHOW_AND_TELL}, the
 * default) or Show, Attend and Tell's attention decoder on the CNN's last feature map ({@link
 * DecoderType#SHOW_ATTEND_TELL}: VGG-16 conv5_3 14 × 14 × 512, ResNet-50 layer4 7 × 7 × 2048 or,
 * with {@link Options#spatialSize()} 14, pooled to 14 × 14 × 2048).
 *
 * <p>Memory: the caches are memory-mapped and training reads them a batch at a time ({@link
 * PipelineFeatures#memoryMapped}); the dev and test splits are captioned in chunks. The features
 * of a split never have to fit in memory, so Flickr8k's maps at 14 × 14 × 2048 (6.5 GB as float16,
 * {@link Options#fp16()}) train on a machine with less RAM than that.
 *
 * <p>Files under the output directory:
 * {@code features/<encoder>-<weights sha256 prefix>[-<H>x<W>x<D>[-pooled]][-fp16]/<split>/} (the
 * feature caches, reused by a later run with the same encoder, weights, output shape, storage type
 * and images; a run whose usable images differ from a cache's is refused, naming the directory to
 * delete), {@code training/} (checkpoint, best parameters, JSON-lines log) and {@code model/}
 * ({@link #MODEL_DIR}, written by the library's {@link TrainingPipeline} through a temporary
 * directory, so a failed run leaves no model). For
 * {@code vgg16}/{@code resnet50} the artifact references the {@code .npz} weights by absolute path
 * and SHA-256; for {@code small-cnn} the random, frozen encoder is embedded. Not thread-safe: run
 * one at a time per output directory.
 *
 * <p>With {@link Options#features()} the images are not read at all: the features come from
 * {@link FeatureShards} extracted beforehand (on a Spark cluster, for example), which must carry
 * the key of this encoder, weights and preprocessing (other features are refused as a stale cache
 * is) and the shape the decoder reads (pooled vectors for the LSTM, the encoder's map for
 * attention); annotated images without a row (failed or not extracted) are skipped and counted.
 * Shards are read into memory, not memory-mapped.
 */
public final class Flickr8kRecipe {

    /** Name of the saved model directory under the output directory. */
    public static final String MODEL_DIR = TrainingPipeline.MODEL_DIR;
    /** Name of the feature-cache directory under the output directory (one subdirectory per split). */
    public static final String FEATURES_DIR = "features";
    /** Name of the small CNN's frozen random parameters inside {@link #FEATURES_DIR}. */
    static final String SMALL_CNN_PARAMS = "small-cnn-encoder.params";

    private static final int SMALL_CNN_INPUT = 64;
    private static final int SMALL_CNN_FEATURES = 128;
    private static final int SMALL_CNN_CHANNELS = 16;

    /** Adam's default learning rate for the LSTM decoder. */
    public static final double LSTM_LEARNING_RATE = 1e-3;
    /**
     * Adam's default learning rate for the attention decoder, as Show, Attend and Tell's best-known
     * reimplementation sets it.
     */
    public static final double ATTENTION_LEARNING_RATE = 4e-4;

    private Flickr8kRecipe() {}

    /**
     * What to run.
     *
     * @param dataset the dataset directory (annotations in any layout {@link Flickr8kReader} reads,
     *     images in {@code Flicker8k_Dataset/} or another of its candidate directories)
     * @param encoder {@link EncoderKind#VGG16}, {@link EncoderKind#RESNET50} or {@link EncoderKind#SMALL_CNN}
     * @param weights the torchvision {@code .npz} (required for vgg16/resnet50, must be null for small-cnn)
     * @param outDir the output directory (created if absent)
     * @param epochs the most training epochs, at least 1
     * @param batchSize training batch size in (image, caption) pairs, at least 1
     * @param minCount words seen fewer times in the training captions become {@code <unk>}, at least 1
     * @param beam beam width for the test captions; 1 means greedy
     * @param hiddenSize LSTM hidden units
     * @param embeddingSize word embedding size
     * @param patience epochs without a better dev BLEU-4 before stopping, at least 1
     * @param seed seed of initialisation and shuffling
     * @param encodeBatchSize images per encoder forward pass while caching features
     * @param imageMerge whether the decoder also adds the projected image to its LSTM output at
     *     every step ({@link DecoderConfig#imageMerge()}); false runs Show and Tell as published;
     *     LSTM decoder only
     * @param decoder {@link DecoderType#SHOW_AND_TELL} (the LSTM on the pooled vector) or {@link
     *     DecoderType#SHOW_ATTEND_TELL} (attention over the encoder's last feature map)
     * @param spatialSize for the attention decoder, the side the feature map is adaptive-average-
     *     pooled to (14 for ResNet-50, as the best-known reimplementation of Show, Attend and Tell
     *     does), or 0 for the network's own map; must be 0 for the LSTM decoder
     * @param fp16 whether the feature cache stores float16 instead of float32 (half the disk and
     *     page cache; rows are served as float32)
     * @param attentionSize A, the width of the attention's scoring network (attention decoder only)
     * @param dropout the decoder's training dropout, in [0, 1)
     * @param attentionPenalty λ, the weight of the doubly stochastic attention regulariser
     *     (attention decoder only), at least 0
     * @param learningRate Adam's learning rate, above 0
     * @param features a directory of {@link FeatureShards} extracted beforehand (by the Spark job
     *     {@code ExtractFeatures}) to train from instead of encoding the images, or null; they must
     *     have been made with this encoder, weights and preprocessing (vgg16/resnet50 only)
     */
    public record Options(Path dataset, EncoderKind encoder, Path weights, Path outDir, int epochs, int batchSize,
            int minCount, int beam, int hiddenSize, int embeddingSize, int patience, long seed, int encodeBatchSize,
            boolean imageMerge, DecoderType decoder, int spatialSize, boolean fp16, int attentionSize, double dropout,
            double attentionPenalty, double learningRate, Path features) {

        /**
         * Validates the options.
         *
         * @param dataset see the record description
         * @param encoder see the record description
         * @param weights see the record description
         * @param outDir see the record description
         * @param epochs see the record description
         * @param batchSize see the record description
         * @param minCount see the record description
         * @param beam see the record description
         * @param hiddenSize see the record description
         * @param embeddingSize see the record description
         * @param patience see the record description
         * @param seed see the record description
         * @param encodeBatchSize see the record description
         * @param imageMerge see the record description
         * @param decoder see the record description
         * @param spatialSize see the record description
         * @param fp16 see the record description
         * @param attentionSize see the record description
         * @param dropout see the record description
         * @param attentionPenalty see the record description
         * @param learningRate see the record description
         * @param features see the record description
         * @throws IllegalArgumentException naming the first invalid option and its value
         */
        public Options {
            if (dataset == null || outDir == null || encoder == null) {
                throw new IllegalArgumentException("dataset, encoder and outDir are required");
            }
            if (encoder != EncoderKind.SMALL_CNN) {
                if (weights == null) {
                    throw new IllegalArgumentException("--weights is required for encoder " + encoder
                            + " (export a .npz with scripts/export_torchvision.py --arch " + encoder + ")");
                }
            } else if (weights != null) {
                throw new IllegalArgumentException("--weights is not used by encoder " + encoder
                        + " (its frozen random weights are kept in the feature cache), found " + weights);
            } else if (features != null) {
                throw new IllegalArgumentException("--features needs encoder vgg16 or resnet50 (the encoders the"
                        + " feature extraction job runs), found " + encoder);
            }
            positive("epochs", epochs);
            positive("batch-size", batchSize);
            positive("min-count", minCount);
            positive("beam", beam);
            positive("hidden", hiddenSize);
            positive("embedding", embeddingSize);
            positive("patience", patience);
            positive("encode-batch-size", encodeBatchSize);
            if (decoder == null) {
                throw new IllegalArgumentException("decoder is required: lstm or attention");
            }
            boolean attention = decoder == DecoderType.SHOW_ATTEND_TELL;
            if (spatialSize < 0) {
                throw new IllegalArgumentException("spatial-size must be 0 (the network's own map) or positive, found "
                        + spatialSize);
            }
            if (spatialSize > 0 && !attention) {
                throw new IllegalArgumentException("--spatial-size needs --decoder attention (the " + decoder
                        + " decoder reads the pooled vector), found " + spatialSize);
            }
            if (imageMerge && attention) {
                throw new IllegalArgumentException("--image-merge is an option of the lstm decoder, not of "
                        + decoder);
            }
            positive("attention-dim", attentionSize);
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), found " + dropout);
            }
            if (!(attentionPenalty >= 0 && Double.isFinite(attentionPenalty))) {
                throw new IllegalArgumentException("attention-penalty must be a finite number of at least 0, found "
                        + attentionPenalty);
            }
            if (!(learningRate > 0 && Double.isFinite(learningRate))) {
                throw new IllegalArgumentException("learning-rate must be a finite number above 0, found "
                        + learningRate);
            }
            if (fp16 && features != null) {
                throw new IllegalArgumentException("--fp16 sets how the local feature cache stores values, but with"
                        + " --features " + features + " no cache is written");
            }
        }

        private static void positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, found " + value);
            }
        }

        /**
         * Creates a builder holding the defaults of {@code captioner train}: 20 epochs, batches of 64,
         * minimum count 5, beam 3, 512 hidden units, embeddings of 512, patience 3, seed 42, 16 images
         * per encoder pass, no image merge, the LSTM decoder, the network's own feature map, float32
         * storage, attention width 512, dropout 0.5, λ = 1, and Adam's learning rate by decoder:
         * {@value Flickr8kRecipe#LSTM_LEARNING_RATE} for the LSTM, {@value
         * Flickr8kRecipe#ATTENTION_LEARNING_RATE} for attention.
         * Gradients are clipped to a global norm of 5 ({@link TrainingConfig}'s default).
         *
         * @return a new builder
         */
        public static Builder builder() {
            return new Builder();
        }

        /** Collects the options by name; setters may be called in any order. */
        public static final class Builder {
            private Path dataset;
            private EncoderKind encoder;
            private Path weights;
            private Path outDir;
            private int epochs = 20;
            private int batchSize = 64;
            private int minCount = 5;
            private int beam = 3;
            private int hiddenSize = 512;
            private int embeddingSize = 512;
            private int patience = 3;
            private long seed = 42;
            private int encodeBatchSize = 16;
            private boolean imageMerge;
            private DecoderType decoder = DecoderType.SHOW_AND_TELL;
            private int spatialSize;
            private boolean fp16;
            private int attentionSize = 512;
            private double dropout = 0.5;
            private double attentionPenalty = 1.0;
            /** NaN until set: then the decoder's default. */
            private double learningRate = Double.NaN;
            private Path features;

            private Builder() {}

            /**
             * Sets the dataset directory (required).
             *
             * @param value see {@link Options#dataset()}
             * @return this builder
             */
            public Builder setDataset(Path value) {
                dataset = value;
                return this;
            }

            /**
             * Sets the encoder (required).
             *
             * @param value see {@link Options#encoder()}
             * @return this builder
             */
            public Builder setEncoder(EncoderKind value) {
                encoder = value;
                return this;
            }

            /**
             * Sets the output directory (required).
             *
             * @param value see {@link Options#outDir()}
             * @return this builder
             */
            public Builder setOutDir(Path value) {
                outDir = value;
                return this;
            }

            /**
             * Sets the torchvision {@code .npz} weights (required for vgg16 and resnet50).
             *
             * @param value see {@link Options#weights()}
             * @return this builder
             */
            public Builder optWeights(Path value) {
                weights = value;
                return this;
            }

            /**
             * Sets the most training epochs (default 20).
             *
             * @param value see {@link Options#epochs()}
             * @return this builder
             */
            public Builder optEpochs(int value) {
                epochs = value;
                return this;
            }

            /**
             * Sets the training batch size in (image, caption) pairs (default 64).
             *
             * @param value see {@link Options#batchSize()}
             * @return this builder
             */
            public Builder optBatchSize(int value) {
                batchSize = value;
                return this;
            }

            /**
             * Sets the minimum count of a vocabulary word (default 5).
             *
             * @param value see {@link Options#minCount()}
             * @return this builder
             */
            public Builder optMinCount(int value) {
                minCount = value;
                return this;
            }

            /**
             * Sets the beam width of the test captions (default 3; 1 is greedy).
             *
             * @param value see {@link Options#beam()}
             * @return this builder
             */
            public Builder optBeam(int value) {
                beam = value;
                return this;
            }

            /**
             * Sets the LSTM hidden units (default 512).
             *
             * @param value see {@link Options#hiddenSize()}
             * @return this builder
             */
            public Builder optHiddenSize(int value) {
                hiddenSize = value;
                return this;
            }

            /**
             * Sets the word embedding size (default 512).
             *
             * @param value see {@link Options#embeddingSize()}
             * @return this builder
             */
            public Builder optEmbeddingSize(int value) {
                embeddingSize = value;
                return this;
            }

            /**
             * Sets the epochs without a better dev BLEU-4 before stopping (default 3).
             *
             * @param value see {@link Options#patience()}
             * @return this builder
             */
            public Builder optPatience(int value) {
                patience = value;
                return this;
            }

            /**
             * Sets the seed of initialisation and shuffling (default 42).
             *
             * @param value see {@link Options#seed()}
             * @return this builder
             */
            public Builder optSeed(long value) {
                seed = value;
                return this;
            }

            /**
             * Sets the images per encoder forward pass while caching features (default 16).
             *
             * @param value see {@link Options#encodeBatchSize()}
             * @return this builder
             */
            public Builder optEncodeBatchSize(int value) {
                encodeBatchSize = value;
                return this;
            }

            /**
             * Sets whether the decoder adds the projected image to its LSTM output at every step
             * (default false, Show and Tell as published).
             *
             * @param value see {@link Options#imageMerge()}
             * @return this builder
             */
            public Builder optImageMerge(boolean value) {
                imageMerge = value;
                return this;
            }

            /**
             * Sets the decoder (default {@link DecoderType#SHOW_AND_TELL}, the LSTM).
             *
             * @param value see {@link Options#decoder()}
             * @return this builder
             */
            public Builder optDecoder(DecoderType value) {
                decoder = value;
                return this;
            }

            /**
             * Sets the side the attention decoder's feature map is pooled to (default 0: the
             * network's own map).
             *
             * @param value see {@link Options#spatialSize()}
             * @return this builder
             */
            public Builder optSpatialSize(int value) {
                spatialSize = value;
                return this;
            }

            /**
             * Sets whether the feature cache stores float16 (default false: float32).
             *
             * @param value see {@link Options#fp16()}
             * @return this builder
             */
            public Builder optFp16(boolean value) {
                fp16 = value;
                return this;
            }

            /**
             * Sets the attention's width A (default 512).
             *
             * @param value see {@link Options#attentionSize()}
             * @return this builder
             */
            public Builder optAttentionSize(int value) {
                attentionSize = value;
                return this;
            }

            /**
             * Sets the decoder's training dropout (default 0.5).
             *
             * @param value see {@link Options#dropout()}
             * @return this builder
             */
            public Builder optDropout(double value) {
                dropout = value;
                return this;
            }

            /**
             * Sets λ, the weight of the doubly stochastic attention regulariser (default 1).
             *
             * @param value see {@link Options#attentionPenalty()}
             * @return this builder
             */
            public Builder optAttentionPenalty(double value) {
                attentionPenalty = value;
                return this;
            }

            /**
             * Sets Adam's learning rate (default by decoder: {@value Flickr8kRecipe#LSTM_LEARNING_RATE}
             * for the LSTM, {@value Flickr8kRecipe#ATTENTION_LEARNING_RATE} for attention, whichever
             * order the setters are called in).
             *
             * @param value see {@link Options#learningRate()}; {@code Double.NaN} restores the
             *     decoder's default
             * @return this builder
             */
            public Builder optLearningRate(double value) {
                learningRate = value;
                return this;
            }

            /**
             * Sets a directory of features extracted beforehand to train from instead of encoding
             * the images (default: none, the images are encoded into the feature cache).
             *
             * @param value see {@link Options#features()}
             * @return this builder
             */
            public Builder optFeatures(Path value) {
                features = value;
                return this;
            }

            /**
             * Validates and builds the options.
             *
             * @return the options
             * @throws IllegalArgumentException naming the first invalid option and its value
             */
            public Options build() {
                double rate = !Double.isNaN(learningRate) ? learningRate
                        : decoder == DecoderType.SHOW_ATTEND_TELL ? ATTENTION_LEARNING_RATE : LSTM_LEARNING_RATE;
                return new Options(dataset, encoder, weights, outDir, epochs, batchSize, minCount, beam, hiddenSize,
                        embeddingSize, patience, seed, encodeBatchSize, imageMerge, decoder, spatialSize, fp16,
                        attentionSize, dropout, attentionPenalty, rate, features);
            }
        }
    }

    /**
     * What the run reached.
     *
     * @param scores test-split scores of the captions (BLEU-1..4, ROUGE-L, CIDEr)
     * @param testImages the number of test images scored
     * @param trainSeconds wall-clock seconds of decoder training (dev validation included)
     * @param epochs epochs run
     * @param bestEpoch the epoch whose parameters were saved
     * @param encodedImages images encoded in this run (0 when every feature cache was reused)
     * @param model the saved model directory
     */
    public record Result(EvaluationResult scores, int testImages, double trainSeconds, int epochs, int bestEpoch,
            int encodedImages, Path model) {

        /**
         * Formats the headline figures as one line of JSON with keys {@code bleu1}..{@code bleu4},
         * {@code rouge_l}, {@code cider}, {@code test_images}, {@code train_seconds}, {@code epochs},
         * {@code best_epoch}, {@code encoded_images} and {@code model}.
         *
         * @return the JSON text
         */
        public String toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("bleu1", Json.round(scores.bleu1(), 4));
            o.addProperty("bleu2", Json.round(scores.bleu2(), 4));
            o.addProperty("bleu3", Json.round(scores.bleu3(), 4));
            o.addProperty("bleu4", Json.round(scores.bleu4(), 4));
            o.addProperty("rouge_l", Json.round(scores.rougeL(), 4));
            o.addProperty("cider", Json.round(scores.cider(), 4));
            o.addProperty("test_images", testImages);
            o.addProperty("train_seconds", Json.round(trainSeconds, 1));
            o.addProperty("epochs", epochs);
            o.addProperty("best_epoch", bestEpoch);
            o.addProperty("encoded_images", encodedImages);
            o.addProperty("model", model.toString());
            return Json.GSON.toJson(o);
        }
    }

    /**
     * Runs the recipe.
     *
     * @param options what to run
     * @param log receives progress lines (for example {@code System.err})
     * @return the test scores and the saved model's location
     * @throws CaptionerException if the dataset has no usable image, a split is missing or empty,
     *     the weights do not fit, a stale feature cache is in the way, or a file cannot be written;
     *     no model is saved then
     */
    public static Result run(Options options, PrintStream log) {
        Path out = options.outDir().toAbsolutePath().normalize();
        FeatureShards shards = options.features() == null ? null : FeatureShards.open(options.features());
        CaptionDataset dataset = shards == null ? usableImages(options.dataset()) : Flickr8kReader.load(options.dataset());
        Map<Split, List<ImageCaptions>> splits = new LinkedHashMap<>();
        for (Split s : List.of(Split.TRAIN, Split.DEV, Split.TEST)) {
            splits.put(s, shards == null ? dataset.split(s)
                    : withFeatures(dataset, options.dataset(), s, shards, options.features(), log));
        }
        Tokenizer tokenizer = Tokenizer.standard();
        TokenizedCaptions train = TokenizedCaptions.of(splits.get(Split.TRAIN), tokenizer);
        TokenizedCaptions dev = TokenizedCaptions.of(splits.get(Split.DEV), tokenizer);
        TokenizedCaptions test = TokenizedCaptions.of(splits.get(Split.TEST), tokenizer);

        Path featuresDir = out.resolve(FEATURES_DIR);
        EngineRandom.seed(options.seed());
        Map<Split, FeatureCache> caches = new EnumMap<>(Split.class);
        try (BlockEncoder encoder = openEncoder(options, featuresDir)) {
            EncoderSpec spec = options.encoder().torchvisionArch().isPresent()
                    ? EncoderSpec.torchvision(encoder, options.weights().toAbsolutePath().normalize())
                    : EncoderSpec.smallCnn(encoder);
            int encoded = 0;
            PipelineFeatures features;
            if (shards != null) {
                // feature shards record D, the channels of a row, as the key's feature size
                CacheKey shardKey = new CacheKey(encoder.name(), encoder.vectorSize(),
                        weightsDigest(options, featuresDir), encoder.preprocessing().toString());
                features = PipelineFeatures.precomputed(encoder, spec, readShards(shards, options.features(),
                        shardKey, encoder.featureShape(), splits, log), encoder.featureShape());
            } else {
                CacheKey key = CacheKey.of(encoder, weightsDigest(options, featuresDir),
                        options.fp16() ? FeatureDType.FLOAT16 : FeatureDType.FLOAT32);
                ImageLoader loader = ImageLoader.standard();
                for (Map.Entry<Split, List<ImageCaptions>> e : splits.entrySet()) {
                    String split = e.getKey().name().toLowerCase(Locale.ROOT);
                    List<String> ids = e.getValue().stream().map(ImageCaptions::imageId).toList();
                    Path dir = featuresDir.resolve(cacheName(key)).resolve(split);
                    int encodedHere;
                    try (CountingBar bar = new CountingBar(log, "features " + split)) {
                        caches.put(e.getKey(), openCache(dir, key, ids, id -> loader.load(dataset.imagePath(id)),
                                encoder, options.encodeBatchSize(), bar));
                        encodedHere = bar.encoded;
                    }
                    log.printf(Locale.ROOT, "features %s: %d images of %s %s, %s%n", split, ids.size(),
                            shapeText(key.featureShape()), key.dtype(), encodedHere == 0
                                    ? "reused the cache in " + dir : "encoded " + encodedHere + " into " + dir);
                    encoded += encodedHere;
                }
                features = PipelineFeatures.memoryMapped(encoder, spec, caches);
            }

            TrainingConfig trainingConfig = TrainingConfig.builder().optEpochs(options.epochs())
                    .optBatchSize(options.batchSize()).optPatience(options.patience()).optSeed(options.seed())
                    .optLearningRate(options.learningRate())
                    .build();
            DecodingOptions decoding = options.beam() > 1 ? DecodingOptions.beam(options.beam())
                    : DecodingOptions.defaults();
            TrainingPipeline.Result result = TrainingPipeline.builder()
                    .setSplits(train, dev, test)
                    .optVocabulary(Vocabulary.builder().optMinCount(options.minCount()))
                    .setDecoder((vocabularySize, featureShape) -> decoder(options, vocabularySize, featureShape))
                    .setTrainingConfig(trainingConfig)
                    .optMetric(BleuMetric.greedyBleu4(trainingConfig.maxCaptionLength()))
                    .setDecodings(decoding)
                    .setOutDir(out)
                    .addListeners(new ProgressListener(log))
                    .optDatasetName("flickr8k-layout:" + options.dataset().toAbsolutePath().normalize())
                    .optPipelineListener(new TrainingPipeline.PipelineListener() {
                        @Override
                        public void onVocabulary(Vocabulary vocabulary, Map<Split, TokenizedCaptions> tokenized) {
                            log.printf(Locale.ROOT, "train: %d train, %d dev, %d test images; vocabulary %d"
                                    + " (min count %d)%n", train.size(), dev.size(), test.size(), vocabulary.size(),
                                    options.minCount());
                        }

                        @Override
                        public void onTrainingStart(DecoderSpec decoder, TrainingConfig config) {
                            log.println("train: " + decoder + "; " + config);
                        }

                        @Override
                        public void onSaved(Path model) {
                            log.println("train: saved " + model);
                        }
                    })
                    .build()
                    .run(features);
            return new Result(result.test().scores(), test.size(), result.training().trainSeconds(),
                    result.training().history().size(), result.training().bestEpoch(), encoded, result.model());
        } finally {
            caches.values().forEach(FeatureCache::close);
        }
    }

    /** The decoder the options ask for, reading features of the encoder's shape. */
    private static DecoderSpec decoder(Options options, int vocabularySize, int[] featureShape) {
        if (options.decoder() == DecoderType.SHOW_ATTEND_TELL) {
            return AttentionDecoderConfig.builder().setVocabularySize(vocabularySize)
                    .setFeatureShape(featureShape[0], featureShape[1], featureShape[2])
                    .optAttentionSize(options.attentionSize()).optEmbeddingSize(options.embeddingSize())
                    .optHiddenSize(options.hiddenSize()).optDropout(options.dropout())
                    .optAttentionPenalty(options.attentionPenalty()).build();
        }
        return DecoderConfig.builder().setVocabularySize(vocabularySize).setFeatureSize(featureShape[0])
                .optEmbeddingSize(options.embeddingSize()).optHiddenSize(options.hiddenSize())
                .optDropout(options.dropout()).optImageMerge(options.imageMerge()).build();
    }

    /**
     * The cache directory of a key under {@link #FEATURES_DIR}: the encoder and a weights digest
     * prefix, then the map's shape (and {@code -pooled}) for spatial rows and {@code -fp16} for
     * float16 storage, so that runs with other settings keep their own caches.
     */
    static String cacheName(CacheKey key) {
        StringBuilder name = new StringBuilder(key.encoder()).append('-').append(key.weightsSha256(), 0, 12);
        if (key.spatial()) {
            name.append('-').append(shapeText(key.featureShape())).append(key.spatialSize() > 0 ? "-pooled" : "");
        }
        if (key.dtype() == FeatureDType.FLOAT16) {
            name.append("-fp16");
        }
        return name.toString();
    }

    private static String shapeText(int[] shape) {
        return java.util.Arrays.stream(shape).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining("x"));
    }

    /** The images of a split that have a row in the feature shards; a split left empty is an error. */
    private static List<ImageCaptions> withFeatures(CaptionDataset dataset, Path datasetDir, Split split,
            FeatureShards shards, Path dir, PrintStream log) {
        List<ImageCaptions> all = dataset.split(split);
        List<ImageCaptions> kept = all.stream().filter(i -> shards.contains(i.imageId())).toList();
        String name = split.name().toLowerCase(Locale.ROOT);
        if (kept.isEmpty()) {
            throw new CaptionerException(dir + ": no features for any of the " + all.size() + " " + name
                    + " images of " + datasetDir + " (the shards hold " + shards.size()
                    + " images, e.g. " + shards.ids().stream().limit(3).toList()
                    + "); extract the dataset's image directory; the recipe needs train, dev and test images");
        }
        if (kept.size() < all.size()) {
            List<String> missing = all.stream().map(ImageCaptions::imageId).filter(id -> !shards.contains(id))
                    .limit(5).toList();
            log.printf(Locale.ROOT, "features %s: skipped %d of %d images that have no features in %s (failed or"
                    + " not extracted), e.g. %s%n", name, all.size() - kept.size(), all.size(), dir, missing);
        }
        return kept;
    }

    /**
     * Checks that the shards fit the encoder and the decoder's feature shape, then copies each
     * split's rows out.
     */
    private static Map<Split, float[][]> readShards(FeatureShards shards, Path dir, CacheKey key, int[] shape,
            Map<Split, List<ImageCaptions>> splits, PrintStream log) {
        shards.requireKey(key);
        if (!Arrays.equals(shards.shape(), shape)) {
            throw new CaptionerException(dir + ": features of shape " + Arrays.toString(shards.shape())
                    + (shape.length == 1
                            ? " are spatial maps, but the Show-and-Tell decoder trains on pooled vectors "
                                    + Arrays.toString(shape) + "; extract them without --spatial"
                            : " do not fit the attention decoder, which reads " + key.encoder() + "'s map "
                                    + Arrays.toString(shape) + "; extract them with --spatial, without pooling"));
        }
        Map<Split, float[][]> features = new EnumMap<>(Split.class);
        for (Map.Entry<Split, List<ImageCaptions>> e : splits.entrySet()) {
            List<String> ids = e.getValue().stream().map(ImageCaptions::imageId).toList();
            features.put(e.getKey(), shards.rows(ids));
            log.printf(Locale.ROOT, "features %s: %d images, read from %s%n", e.getKey().name().toLowerCase(Locale.ROOT),
                    ids.size(), dir);
        }
        return features;
    }

    /** Builds (or resumes, or reuses) one split's cache and opens it for reading. */
    private static FeatureCache openCache(Path dir, CacheKey key, List<String> ids,
            java.util.function.Function<String, java.awt.image.BufferedImage> loader, BlockEncoder encoder,
            int batchSize, Progress progress) {
        try {
            return FeatureCache.build(dir, key, ids, loader, encoder, batchSize, progress);
        } catch (StaleFeatureCacheException e) {
            throw new StaleFeatureCacheException(e.directory(), e.getMessage()
                    + "; the usable images changed since it was built: delete " + dir + " to encode them again", e);
        }
    }

    /** Reads the dataset, drops images without a file, and checks that every split keeps images. */
    private static CaptionDataset usableImages(Path dir) {
        CaptionDataset all = Flickr8kReader.load(dir);
        CaptionDataset usable = all.withoutMissingImages();
        if (usable.size() == 0) {
            throw new CaptionerException(dir + ": no usable image: none of the " + all.size()
                    + " annotated images has a file in " + all.imageDir());
        }
        for (Split s : List.of(Split.TRAIN, Split.DEV, Split.TEST)) {
            if (usable.split(s).isEmpty()) {
                throw new CaptionerException(dir + ": split " + s.name().toLowerCase(Locale.ROOT)
                        + " has no image with a file in " + all.imageDir() + " (" + all.split(s).size()
                        + " annotated); the recipe needs train, dev and test images");
            }
        }
        return usable;
    }

    /** The encoder's options: vectors for the LSTM, the last feature map (pooled if asked) for attention. */
    private static EncoderOptions encoderOptions(Options options) {
        EncoderOptions vectors = EncoderOptions.defaults().withBatchSize(options.encodeBatchSize());
        if (options.decoder() != DecoderType.SHOW_ATTEND_TELL) {
            return vectors;
        }
        return options.spatialSize() > 0 ? vectors.withSpatialOutput(options.spatialSize())
                : vectors.withSpatialOutput();
    }

    private static BlockEncoder openEncoder(Options options, Path featuresDir) {
        Optional<TorchvisionArch> arch = options.encoder().torchvisionArch();
        if (arch.isPresent()) {
            return Encoders.torchvision(arch.get(), options.weights(), encoderOptions(options));
        }
        BlockEncoder encoder = Encoders.smallCnn().optInputSize(SMALL_CNN_INPUT).optFeatureSize(SMALL_CNN_FEATURES)
                .optBaseChannels(SMALL_CNN_CHANNELS)
                .optEncoderOptions(encoderOptions(options)).build();
        try {
            // The cached features are only valid for these exact random weights: keep them beside the cache.
            Path params = featuresDir.resolve(SMALL_CNN_PARAMS);
            if (Files.isRegularFile(params)) {
                encoder.loadParameters(params);
            } else {
                Files.createDirectories(featuresDir);
                encoder.saveParameters(params);
            }
            return encoder;
        } catch (java.io.IOException e) {
            encoder.close();
            throw new CaptionerException(featuresDir + ": cannot create feature directory: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    private static String weightsDigest(Options options, Path featuresDir) {
        return Digests.sha256(options.encoder() == EncoderKind.SMALL_CNN
                ? featuresDir.resolve(SMALL_CNN_PARAMS) : options.weights());
    }

    /** A console progress bar, drawn only while images are encoded, that counts them. */
    private static final class CountingBar implements Progress, AutoCloseable {
        private final PrintStream out;
        private final String label;
        private ConsoleProgress bar;
        private int start = -1;
        private int encoded;

        CountingBar(PrintStream out, String label) {
            this.out = out;
            this.label = label;
        }

        @Override
        public void update(int done, int total, double rate) {
            if (start < 0) {
                start = done;
            }
            encoded = done - start;
            if (bar == null && done < total) {
                bar = ConsoleProgress.start(out, label, done, total);
            }
            if (bar != null) {
                bar.stepTo(done, String.format(Locale.ROOT, "%.1f img/s", rate));
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
