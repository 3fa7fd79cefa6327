package io.captioner.models.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import io.captioner.data.Split;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.data.synthetic.SyntheticSample;
import io.captioner.eval.CaptionEvaluator;
import io.captioner.eval.EvaluationResult;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.ImageInjection;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.models.artifact.ArtifactWriter;
import io.captioner.models.artifact.EncoderSpec;
import io.captioner.models.artifact.Provenance;
import io.captioner.models.decoder.ParameterFile;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.EncoderOptions;
import io.captioner.models.encoder.Encoders;
import io.captioner.search.CaptionSearch;
import io.captioner.text.Tokenizer;
import io.captioner.text.Vocabulary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The quickstart job: generates the synthetic shapes dataset, trains the small CNN and the LSTM
 * decoder (the image as its initial state and, unless {@link QuickstartOptions#imageMerge()} is
 * off, added to its output at every step) end to end on CPU, captions the held-out test images (beam search of width
 * {@link QuickstartOptions#beamSize()}, 3 by default, which also picks the best epoch on the dev
 * split; greedy scores are reported beside it), scores them with BLEU-1..4 and CIDEr-D against a
 * baseline that gives every image the training set's most common caption, and saves the model with
 * that beam width as its default decoding.
 *
 * <p>Files under the output directory: {@code dataset/} (the generated dataset in Flickr8k layout,
 * unless disabled), {@code training/} (checkpoint, best parameters, JSON-lines log) and {@code
 * model/} (see {@link #MODEL_DIR}), written by {@link ArtifactWriter} so an interrupted save never
 * leaves a valid-looking model. Training reads the images from memory (the
 * generator is deterministic, so they equal the written files). Not thread-safe: run one at a time.
 */
public final class Quickstart {

    /**
     * Name of the saved model: an artifact directory written by {@link ArtifactWriter} (best-epoch
     * encoder and decoder, vocabulary, provenance), loadable with {@code Captioner.load}.
     */
    public static final String MODEL_DIR = "model";

    /** The most tokens a training caption keeps and a generated caption may have. */
    private static final int MAX_LENGTH = 20;

    private Quickstart() {}

    /**
     * What the quickstart reached.
     *
     * @param bleu test BLEU-1..4 of the captions {@code search} found (index n-1 is BLEU-n),
     *     coco-caption formula
     * @param cider test CIDEr-D of those captions, coco-caption's scale (×10)
     * @param search how the test captions were found: {@code "greedy"} or {@code "beam K"}
     * @param greedyBleu4 test BLEU-4 of greedy captions from the same model, for comparison
     * @param baselineBleu4 test BLEU-4 of the most common training caption given to every image
     * @param baselineCaption that caption
     * @param trainSeconds wall-clock seconds of training (validation included)
     * @param testImages the number of held-out test images scored
     * @param history one result per epoch
     * @param examples a few test images with their generated caption and references
     * @param model the saved model directory
     */
    public record Result(List<Double> bleu, double cider, String search, double greedyBleu4, double baselineBleu4,
            String baselineCaption, double trainSeconds, int testImages, List<EpochResult> history,
            List<Example> examples, Path model) {

        /**
         * Copies the lists.
         *
         * @param bleu see the record description
         * @param cider see the record description
         * @param search see the record description
         * @param greedyBleu4 see the record description
         * @param baselineBleu4 see the record description
         * @param baselineCaption see the record description
         * @param trainSeconds see the record description
         * @param testImages see the record description
         * @param history see the record description
         * @param examples see the record description
         * @param model see the record description
         */
        public Result {
            bleu = List.copyOf(bleu);
            history = List.copyOf(history);
            examples = List.copyOf(examples);
        }

        /**
         * Formats the headline figures as one line of JSON with keys {@code bleu1}..{@code bleu4},
         * {@code cider}, {@code search}, {@code greedy_bleu4}, {@code baseline_bleu4},
         * {@code train_seconds}, {@code epochs}, {@code test_images} and {@code model}.
         *
         * @return the JSON text
         */
        public String toJson() {
            return String.format(Locale.ROOT,
                    "{\"bleu1\":%.4f,\"bleu2\":%.4f,\"bleu3\":%.4f,\"bleu4\":%.4f,\"cider\":%.4f,"
                            + "\"search\":\"%s\",\"greedy_bleu4\":%.4f,\"baseline_bleu4\":%.4f,"
                            + "\"train_seconds\":%.1f,\"epochs\":%d,\"test_images\":%d,\"model\":\"%s\"}",
                    bleu.get(0), bleu.get(1), bleu.get(2), bleu.get(3), cider, search, greedyBleu4, baselineBleu4,
                    trainSeconds, history.size(), testImages,
                    model.toString().replace("\\", "\\\\").replace("\"", "\\\""));
        }
    }

    /**
     * One captioned test image.
     *
     * @param image the image file name
     * @param caption the generated caption
     * @param references the reference captions
     */
    public record Example(String image, String caption, List<String> references) {}

    /**
     * Runs the whole job.
     *
     * @param options sizes, seed, epochs and output directory
     * @param log receives progress lines and the example captions (for example {@code System.err})
     * @return the scores and the saved model's location
     * @throws CaptionerException if a file cannot be written
     */
    public static Result run(QuickstartOptions options, PrintStream log) {
        Path out = options.outDir().toAbsolutePath().normalize();
        SyntheticDataset dataset = SyntheticDataset.builder().optImages(options.images())
                .optImageSize(options.imageSize()).optSeed(options.seed()).build();
        if (options.writeDataset()) {
            dataset.generate(out.resolve("dataset"));
        }
        Engine.getInstance().setRandomSeed((int) options.seed());
        try (BlockEncoder encoder = Encoders.smallCnn().optInputSize(options.inputSize())
                .optFeatureSize(options.featureSize()).optBaseChannels(options.baseChannels())
                .optEncoderOptions(new EncoderOptions(32, true)).build()) {
            Tokenizer tokenizer = Tokenizer.standard();
            Map<Split, SplitData> splits = new EnumMap<>(Split.class);
            for (Split s : Split.values()) {
                splits.put(s, new SplitData());
            }
            for (int i = 0; i < dataset.images(); i++) {
                SyntheticSample sample = dataset.sample(i);
                SplitData split = splits.get(sample.split());
                split.names.add(sample.imageName());
                split.tensors.add(encoder.preprocessing().toTensor(sample.image()));
                split.captions.add(sample.captions());
                List<List<String>> tokens = new ArrayList<>();
                for (String c : sample.captions()) {
                    tokens.add(tokenizer.tokenize(c));
                }
                split.tokens.add(tokens);
            }
            SplitData train = splits.get(Split.TRAIN);
            SplitData dev = splits.get(Split.DEV);
            SplitData test = splits.get(Split.TEST);
            if (train.names.isEmpty() || dev.names.isEmpty() || test.names.isEmpty()) {
                throw new CaptionerException("The synthetic dataset needs train, dev and test images; found "
                        + train.names.size() + ", " + dev.names.size() + ", " + test.names.size()
                        + " (raise images, now " + options.images() + ")");
            }
            List<List<String>> trainTokens = new ArrayList<>();
            train.tokens.forEach(trainTokens::addAll);
            Vocabulary vocabulary = Vocabulary.builder().optMaxSize(100_000).build(trainTokens);
            log.printf(Locale.ROOT, "quickstart: %d train, %d dev, %d test images; vocabulary %d%n",
                    train.names.size(), dev.names.size(), test.names.size(), vocabulary.size());

            Shape imageShape = new Shape(3, options.inputSize(), options.inputSize());
            DecodingOptions greedy = DecodingOptions.builder().optMaxLength(MAX_LENGTH).build();
            DecodingOptions search = options.beamSize() == 1 ? greedy
                    : DecodingOptions.builder().optBeamSize(options.beamSize()).optMaxLength(MAX_LENGTH).build();
            DecoderConfig decoderConfig = DecoderConfig.builder().setVocabularySize(vocabulary.size())
                    .setFeatureSize(options.featureSize()).optEmbeddingSize(options.embeddingSize())
                    .optHiddenSize(options.hiddenSize()).optDropout(options.dropout())
                    .optImageInjection(ImageInjection.INIT_STATE).optImageMerge(options.imageMerge()).build();
            TrainingConfig trainingConfig = TrainingConfig.builder().optEpochs(options.epochs())
                    .optBatchSize(options.batchImages()).optGroupByImage(true)
                    .optLearningRate(options.learningRate()).optPatience(options.patience())
                    .optSeed(options.seed()).optMaxCaptionLength(MAX_LENGTH).build();
            Path workDir = out.resolve("training");
            TrainingResult trained = Trainer.builder().setDecoderConfig(decoderConfig)
                    .setTrainingConfig(trainingConfig).setWorkDir(workDir)
                    .optMetric(BleuMetric.of(4, search, Integer::toString)).optProgress(log)
                    .build().fit(train.data(encoder, vocabulary, imageShape, options.featureSize()),
                            dev.data(encoder, vocabulary, imageShape, options.featureSize()));

            ParameterFile.read(trained.bestEncoder(), Trainer.ENCODER_KIND)
                    .restore(encoder.block().getParameters(), "", trained.bestEncoder(), false);
            float[][] testFeatures = encode(encoder, test.tensors);
            Map<String, String> hypotheses = new LinkedHashMap<>();
            Map<String, List<String>> references = new LinkedHashMap<>();
            try (LstmCaptionDecoder decoder = LstmCaptionDecoder.load(trained.bestDecoder(), decoderConfig)) {
                hypotheses.putAll(SplitCaptions.caption(CaptionSearch.of(search), decoder, vocabulary, test.names,
                        testFeatures));
                for (int i = 0; i < test.names.size(); i++) {
                    references.put(test.names.get(i), test.captions.get(i));
                }
                EvaluationResult scores = CaptionEvaluator.evaluate(hypotheses, references);
                EvaluationResult greedyScores = search == greedy ? scores : CaptionEvaluator.evaluate(
                        SplitCaptions.caption(CaptionSearch.of(greedy), decoder, vocabulary, test.names,
                                testFeatures), references);
                String common = mostCommonCaption(train.tokens);
                Map<String, String> baseline = new LinkedHashMap<>();
                for (String name : test.names) {
                    baseline.put(name, common);
                }
                EvaluationResult baselineScores = CaptionEvaluator.evaluate(baseline, references);
                List<Example> examples = new ArrayList<>();
                for (int i = 0; i < Math.min(5, test.names.size()); i++) {
                    String name = test.names.get(i);
                    examples.add(new Example(name, hypotheses.get(name), references.get(name)));
                }
                Path model = saveModel(out, vocabulary, trained, encoder, search, train.names.size(),
                        dev.names.size(), test.names.size());
                return new Result(List.of(scores.bleu1(), scores.bleu2(), scores.bleu3(), scores.bleu4()),
                        scores.cider(), options.beamSize() == 1 ? "greedy" : "beam " + options.beamSize(),
                        greedyScores.bleu4(), baselineScores.bleu4(), common, trained.trainSeconds(),
                        test.names.size(), trained.history(), examples, model);
            }
        }
    }

    /** One split's images (names, tensors), raw captions and tokenized captions. */
    private static final class SplitData {
        final List<String> names = new ArrayList<>();
        final List<float[]> tensors = new ArrayList<>();
        final List<List<String>> captions = new ArrayList<>();
        final List<List<List<String>>> tokens = new ArrayList<>();

        CaptionData data(BlockEncoder encoder, Vocabulary vocabulary, Shape imageShape, int featureSize) {
            return new CaptionData(FeatureSource.trainableEncoder(encoder.block(),
                    tensors.toArray(new float[0][]), imageShape, featureSize), SplitCaptions.ids(vocabulary, tokens));
        }
    }

    private static float[][] encode(BlockEncoder encoder, List<float[]> tensors) {
        float[][] out = new float[tensors.size()][];
        int chunk = 32;
        for (int start = 0; start < tensors.size(); start += chunk) {
            int n = Math.min(chunk, tensors.size() - start);
            int size = tensors.get(start).length;
            float[] batch = new float[n * size];
            for (int i = 0; i < n; i++) {
                System.arraycopy(tensors.get(start + i), 0, batch, i * size, size);
            }
            float[][] rows = encoder.encodePreprocessed(batch, n);
            System.arraycopy(rows, 0, out, start, n);
        }
        return out;
    }

    /**
     * Returns the most frequent tokenized training caption, ties broken alphabetically.
     *
     * @param tokens per image, per caption, the tokens
     * @return the caption's tokens joined by spaces
     */
    static String mostCommonCaption(List<List<List<String>>> tokens) {
        Map<String, Integer> counts = new TreeMap<>();
        for (List<List<String>> image : tokens) {
            for (List<String> caption : image) {
                counts.merge(String.join(" ", caption), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .max(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .orElseThrow().getKey();
    }

    private static Path saveModel(Path out, Vocabulary vocabulary, TrainingResult trained, BlockEncoder encoder,
            DecodingOptions search, int trainImages, int devImages, int testImages) {
        Path target = out.resolve(MODEL_DIR);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("dev_bleu4", trained.bestScore());
        ArtifactWriter.builder()
                .setEncoder(encoder, EncoderSpec.smallCnn(encoder))
                .optEncoderParameters(trained.bestEncoder())
                .setDecoder(trained.bestDecoder())
                .setVocabulary(vocabulary)
                .optDecodingOptions(search)
                .optProvenance(new Provenance("synthetic-shapes", trainImages, devImages, testImages,
                        trained.bestEpoch(), metrics))
                .build()
                .write(target);
        return target;
    }
}
