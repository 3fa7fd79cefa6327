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
import io.captioner.models.cache.FeatureShards;
import io.captioner.models.cache.Progress;
import io.captioner.models.cache.StaleFeatureCacheException;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.DecoderSpec;
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
 * The Show-and-Tell recipe on a dataset in Flickr8k layout: reads the annotations, keeps the images
 * whose file exists, builds the vocabulary from the training captions, encodes every image once
 * with a frozen CNN into a {@link FeatureCache}, trains the LSTM decoder on the cached features with
 * early stopping on dev BLEU-4, captions the test split and scores it, and saves the model.
 *
 * <p>Files under the output directory: {@code features/<encoder>-<weights sha256 prefix>/<split>/}
 * (the feature caches, reused by a later run with the same encoder, weights and images; a run whose
 * usable images differ from a cache's is refused, naming the directory to delete), {@code training/} (checkpoint, best
 * parameters, JSON-lines log) and {@code model/} ({@link #MODEL_DIR}, written by
 * the library's {@link TrainingPipeline} through a temporary directory, so a failed run leaves no model). For
 * {@code vgg16}/{@code resnet50} the artifact references the {@code .npz} weights by absolute path
 * and SHA-256; for {@code small-cnn} the random, frozen encoder is embedded. Not thread-safe: run
 * one at a time per output directory.
 *
 * <p>With {@link Options#features()} the images are not read at all: the features come from
 * {@link FeatureShards} extracted beforehand (on a Spark cluster, for example), which must carry
 * the key of this encoder, weights and preprocessing (other features are refused as a stale cache
 * is); annotated images without a row (failed or not extracted) are skipped and counted.
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
     *     every step ({@link DecoderConfig#imageMerge()}); false runs Show and Tell as published
     * @param features a directory of {@link FeatureShards} extracted beforehand (by the Spark job
     *     {@code ExtractFeatures}) to train from instead of encoding the images, or null; they must
     *     have been made with this encoder, weights and preprocessing (vgg16/resnet50 only)
     */
    public record Options(Path dataset, EncoderKind encoder, Path weights, Path outDir, int epochs, int batchSize,
            int minCount, int beam, int hiddenSize, int embeddingSize, int patience, long seed, int encodeBatchSize,
            boolean imageMerge, Path features) {

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
        }

        private static void positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, found " + value);
            }
        }

        /**
         * Creates a builder holding the defaults of {@code captioner train}: 20 epochs, batches of 64,
         * minimum count 5, beam 3, 512 hidden units, embeddings of 512, patience 3, seed 42, 16 images
         * per encoder pass, no image merge.
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
                return new Options(dataset, encoder, weights, outDir, epochs, batchSize, minCount, beam, hiddenSize,
                        embeddingSize, patience, seed, encodeBatchSize, imageMerge, features);
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
        try (BlockEncoder encoder = openEncoder(options, featuresDir)) {
            CacheKey key = new CacheKey(encoder.name(), encoder.featureSize(), weightsDigest(options, featuresDir),
                    encoder.preprocessing().toString());
            Map<Split, float[][]> features = new EnumMap<>(Split.class);
            int encoded = 0;
            if (shards != null) {
                readShards(shards, options.features(), key, splits, features, log);
            } else {
                ImageLoader loader = ImageLoader.standard();
                for (Map.Entry<Split, List<ImageCaptions>> e : splits.entrySet()) {
                    List<String> ids = e.getValue().stream().map(ImageCaptions::imageId).toList();
                    Path dir = featuresDir.resolve(key.encoder() + "-" + key.weightsSha256().substring(0, 12))
                            .resolve(e.getKey().name().toLowerCase(Locale.ROOT));
                    int encodedHere;
                    try (CountingBar bar = new CountingBar(log,
                            "features " + e.getKey().name().toLowerCase(Locale.ROOT))) {
                        features.put(e.getKey(), cachedFeatures(dir, key, ids,
                                id -> loader.load(dataset.imagePath(id)), encoder, options.encodeBatchSize(), bar));
                        encodedHere = bar.encoded;
                    }
                    log.printf(Locale.ROOT, "features %s: %d images, %s%n",
                            e.getKey().name().toLowerCase(Locale.ROOT), ids.size(), encodedHere == 0
                                    ? "reused the cache in " + dir : "encoded " + encodedHere + " into " + dir);
                    encoded += encodedHere;
                }
            }

            TrainingConfig trainingConfig = TrainingConfig.builder().optEpochs(options.epochs())
                    .optBatchSize(options.batchSize()).optPatience(options.patience()).optSeed(options.seed())
                    .build();
            DecodingOptions decoding = options.beam() > 1 ? DecodingOptions.beam(options.beam())
                    : DecodingOptions.defaults();
            EncoderSpec spec = options.encoder().torchvisionArch()
                    .map(arch -> EncoderSpec.torchvision(arch, options.weights().toAbsolutePath().normalize()))
                    .orElseGet(() -> EncoderSpec.smallCnn(encoder));
            TrainingPipeline.Result result = TrainingPipeline.builder()
                    .setSplits(train, dev, test)
                    .optVocabulary(Vocabulary.builder().optMinCount(options.minCount()))
                    .setDecoder((vocabularySize, featureShape) -> DecoderConfig.builder()
                            .setVocabularySize(vocabularySize).setFeatureSize(encoder.featureSize())
                            .optEmbeddingSize(options.embeddingSize()).optHiddenSize(options.hiddenSize())
                            .optImageMerge(options.imageMerge()).build())
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
                    .run(PipelineFeatures.precomputed(encoder, spec, features, encoder.featureSize()));
            return new Result(result.test().scores(), test.size(), result.training().trainSeconds(),
                    result.training().history().size(), result.training().bestEpoch(), encoded, result.model());
        }
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

    /** Checks that the shards fit the encoder and the decoder, then copies each split's rows out. */
    private static void readShards(FeatureShards shards, Path dir, CacheKey key, Map<Split, List<ImageCaptions>> splits,
            Map<Split, float[][]> features, PrintStream log) {
        shards.requireKey(key);
        if (!Arrays.equals(shards.shape(), new int[] {key.featureSize()})) {
            throw new CaptionerException(dir + ": features of shape " + Arrays.toString(shards.shape())
                    + " are spatial maps, but the Show-and-Tell decoder trains on pooled vectors [" + key.featureSize()
                    + "]; extract them without --spatial");
        }
        for (Map.Entry<Split, List<ImageCaptions>> e : splits.entrySet()) {
            List<String> ids = e.getValue().stream().map(ImageCaptions::imageId).toList();
            features.put(e.getKey(), shards.rows(ids));
            log.printf(Locale.ROOT, "features %s: %d images, read from %s%n", e.getKey().name().toLowerCase(Locale.ROOT),
                    ids.size(), dir);
        }
    }

    /** Builds (or resumes, or reuses) one split's cache and copies its rows out. */
    private static float[][] cachedFeatures(Path dir, CacheKey key, List<String> ids,
            java.util.function.Function<String, java.awt.image.BufferedImage> loader, BlockEncoder encoder,
            int batchSize, Progress progress) {
        FeatureCache cache;
        try {
            cache = FeatureCache.build(dir, key, ids, loader, encoder, batchSize, progress);
        } catch (StaleFeatureCacheException e) {
            throw new StaleFeatureCacheException(e.directory(), e.getMessage()
                    + "; the usable images changed since it was built: delete " + dir + " to encode them again", e);
        }
        try (cache) {
            float[][] rows = new float[cache.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = cache.get(i);
            }
            return rows;
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

    private static BlockEncoder openEncoder(Options options, Path featuresDir) {
        Optional<TorchvisionArch> arch = options.encoder().torchvisionArch();
        if (arch.isPresent()) {
            return Encoders.torchvision(arch.get(), options.weights(),
                    EncoderOptions.defaults().withBatchSize(options.encodeBatchSize()));
        }
        BlockEncoder encoder = Encoders.smallCnn().optInputSize(SMALL_CNN_INPUT).optFeatureSize(SMALL_CNN_FEATURES)
                .optBaseChannels(SMALL_CNN_CHANNELS)
                .optEncoderOptions(EncoderOptions.defaults().withBatchSize(options.encodeBatchSize())).build();
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
