package io.captioner.examples.train;

import com.google.gson.JsonObject;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import io.captioner.data.ImageCaptions;
import io.captioner.data.Split;
import io.captioner.data.TokenizedCaptions;
import io.captioner.data.synthetic.BindingScores;
import io.captioner.data.synthetic.Scene;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.data.synthetic.SyntheticSample;
import io.captioner.eval.CaptionEvaluator;
import io.captioner.eval.EvaluationResult;
import io.captioner.models.EngineRandom;
import io.captioner.models.artifact.EncoderSpec;
import io.captioner.models.decoder.AttentionDecoderConfig;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.DecoderType;
import io.captioner.models.decoder.DecoderSpec;
import io.captioner.models.decoder.ImageInjection;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.EncoderOptions;
import io.captioner.models.encoder.Encoders;
import io.captioner.models.train.BleuMetric;
import io.captioner.models.train.EpochResult;
import io.captioner.models.train.PipelineFeatures;
import io.captioner.models.train.ProgressListener;
import io.captioner.models.train.TrainingConfig;
import io.captioner.models.train.TrainingPipeline;
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
 * model/} (see {@link #MODEL_DIR}), written through the library's {@link TrainingPipeline}, so an
 * interrupted save never leaves a valid-looking model. Training reads the images from memory (the
 * generator is deterministic, so they equal the written files). Not thread-safe: run one at a time.
 */
public final class Quickstart {

    /**
     * Name of the saved model: an artifact directory written by the pipeline (best-epoch
     * encoder and decoder, vocabulary, provenance), loadable with {@code Captioner.load}.
     */
    public static final String MODEL_DIR = TrainingPipeline.MODEL_DIR;

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
     * @param decoder the decoder that was trained
     * @param binding whether the test captions bind colours to the right shapes
     */
    public record Result(List<Double> bleu, double cider, String search, double greedyBleu4, double baselineBleu4,
            String baselineCaption, double trainSeconds, int testImages, List<EpochResult> history,
            List<Example> examples, Path model, DecoderType decoder, BindingScores binding) {

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
         * @param decoder see the record description
         * @param binding see the record description
         */
        public Result {
            bleu = List.copyOf(bleu);
            history = List.copyOf(history);
            examples = List.copyOf(examples);
        }

        /**
         * Formats the headline figures as one line of JSON with keys {@code bleu1}..{@code bleu4},
         * {@code cider}, {@code search}, {@code greedy_bleu4}, {@code baseline_bleu4}, {@code
         * pairs_named}, {@code pair_precision}, {@code heldout_pair_recall}, {@code
         * shape_caption_share} (see {@link BindingScores}; the ratios null when undefined), {@code
         * decoder}, {@code train_seconds}, {@code epochs}, {@code test_images} and {@code model}.
         *
         * @return the JSON text
         */
        public String toJson() {
            JsonObject o = new JsonObject();
            for (int n = 1; n <= 4; n++) {
                o.addProperty("bleu" + n, Json.round(bleu.get(n - 1), 4));
            }
            o.addProperty("cider", Json.round(cider, 4));
            o.addProperty("search", search);
            o.addProperty("greedy_bleu4", Json.round(greedyBleu4, 4));
            o.addProperty("baseline_bleu4", Json.round(baselineBleu4, 4));
            o.addProperty("pairs_named", binding.pairsNamed());
            ratio(o, "pair_precision", binding.pairPrecision());
            ratio(o, "heldout_pair_recall", binding.heldOutPairRecall());
            ratio(o, "shape_caption_share", binding.shapeCaptionShare());
            o.addProperty("decoder", decoder.id());
            o.addProperty("train_seconds", Json.round(trainSeconds, 1));
            o.addProperty("epochs", history.size());
            o.addProperty("test_images", testImages);
            o.addProperty("model", model.toString());
            return Json.GSON.toJson(o);
        }

        private static void ratio(JsonObject o, String key, double value) {
            if (Double.isNaN(value)) {
                o.add(key, com.google.gson.JsonNull.INSTANCE);
            } else {
                o.addProperty(key, Json.round(value, 4));
            }
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
        EngineRandom.seed(options.seed());
        boolean attention = options.decoder() == DecoderType.SHOW_ATTEND_TELL;
        EncoderOptions encoderOptions = new EncoderOptions(32, true);
        try (BlockEncoder encoder = Encoders.smallCnn().optInputSize(options.inputSize())
                .optFeatureSize(options.featureSize()).optBaseChannels(options.baseChannels())
                .optEncoderOptions(attention ? encoderOptions.withSpatialOutput() : encoderOptions).build()) {
            Map<Split, List<ImageCaptions>> images = new EnumMap<>(Split.class);
            Map<Split, List<float[]>> tensors = new EnumMap<>(Split.class);
            List<Scene> testScenes = new ArrayList<>();
            for (Split s : List.of(Split.TRAIN, Split.DEV, Split.TEST)) {
                images.put(s, new ArrayList<>());
                tensors.put(s, new ArrayList<>());
            }
            for (int i = 0; i < dataset.images(); i++) {
                SyntheticSample sample = dataset.sample(i);
                images.get(sample.split()).add(new ImageCaptions(sample.imageName(), sample.split(),
                        sample.captions()));
                tensors.get(sample.split()).add(encoder.preprocessing().toTensor(sample.image()));
                if (sample.split() == Split.TEST) {
                    testScenes.add(sample.scene());
                }
            }
            if (images.values().stream().anyMatch(List::isEmpty)) {
                throw new CaptionerException("The synthetic dataset needs train, dev and test images; found "
                        + images.get(Split.TRAIN).size() + ", " + images.get(Split.DEV).size() + ", "
                        + images.get(Split.TEST).size() + " (raise images, now " + options.images() + ")");
            }
            Tokenizer tokenizer = Tokenizer.standard();
            TokenizedCaptions train = TokenizedCaptions.of(images.get(Split.TRAIN), tokenizer);
            TokenizedCaptions dev = TokenizedCaptions.of(images.get(Split.DEV), tokenizer);
            TokenizedCaptions test = TokenizedCaptions.of(images.get(Split.TEST), tokenizer);

            DecodingOptions greedy = DecodingOptions.builder().optMaxLength(MAX_LENGTH).build();
            DecodingOptions search = options.beamSize() == 1 ? greedy
                    : DecodingOptions.builder().optBeamSize(options.beamSize()).optMaxLength(MAX_LENGTH).build();
            TrainingConfig trainingConfig = TrainingConfig.builder().optEpochs(options.epochs())
                    .optBatchSize(options.batchImages()).optGroupByImage(true)
                    .optLearningRate(options.learningRate()).optPatience(options.patience())
                    .optSeed(options.seed()).optMaxCaptionLength(MAX_LENGTH).build();
            Map<Split, float[][]> preprocessed = new EnumMap<>(Split.class);
            tensors.forEach((split, list) -> preprocessed.put(split, list.toArray(new float[0][])));
            TrainingPipeline pipeline = TrainingPipeline.builder()
                    .setSplits(train, dev, test)
                    .optVocabulary(Vocabulary.builder().optMaxSize(100_000))
                    .setDecoder((vocabularySize, featureShape) -> decoder(options, vocabularySize, featureShape))
                    .setTrainingConfig(trainingConfig)
                    .optMetric(BleuMetric.of(4, search, Integer::toString))
                    .setDecodings(search, search == greedy ? new DecodingOptions[0] : new DecodingOptions[] {greedy})
                    .setOutDir(out)
                    .addListeners(new ProgressListener(log))
                    .optDatasetName("synthetic-shapes")
                    .optPipelineListener(new TrainingPipeline.PipelineListener() {
                        @Override
                        public void onVocabulary(Vocabulary vocabulary, Map<Split, TokenizedCaptions> splits) {
                            log.printf(Locale.ROOT, "quickstart: %d train, %d dev, %d test images; vocabulary %d%n",
                                    train.size(), dev.size(), test.size(), vocabulary.size());
                        }
                    })
                    .build();
            TrainingPipeline.Result result = pipeline.run(PipelineFeatures.endToEnd(encoder,
                    EncoderSpec.smallCnn(encoder), preprocessed, 32));

            Map<String, List<String>> references = test.references();
            TrainingPipeline.TestRun scored = result.test();
            EvaluationResult scores = scored.scores();
            EvaluationResult greedyScores = result.tests().get(result.tests().size() - 1).scores();
            String common = mostCommonCaption(train);
            Map<String, String> baseline = new LinkedHashMap<>();
            for (String name : test.imageIds()) {
                baseline.put(name, common);
            }
            EvaluationResult baselineScores = CaptionEvaluator.evaluate(baseline, references);
            List<Example> examples = new ArrayList<>();
            for (int i = 0; i < Math.min(5, test.size()); i++) {
                String name = test.imageId(i);
                examples.add(new Example(name, scored.hypotheses().get(name), references.get(name)));
            }
            BindingScores binding = BindingScores.score(testScenes,
                    test.imageIds().stream().map(scored.hypotheses()::get).toList(), dataset.heldOutPairs());
            return new Result(List.of(scores.bleu1(), scores.bleu2(), scores.bleu3(), scores.bleu4()),
                    scores.cider(), options.beamSize() == 1 ? "greedy" : "beam " + options.beamSize(),
                    greedyScores.bleu4(), baselineScores.bleu4(), common, result.training().trainSeconds(),
                    test.size(), result.training().history(), examples, result.model(), options.decoder(), binding);
        }
    }

    private static DecoderSpec decoder(QuickstartOptions options, int vocabularySize, int[] featureShape) {
        if (options.decoder() == DecoderType.SHOW_ATTEND_TELL) {
            return AttentionDecoderConfig.builder().setVocabularySize(vocabularySize)
                    .setFeatureShape(featureShape[0], featureShape[1], featureShape[2])
                    .optAttentionSize(options.attentionSize()).optEmbeddingSize(options.embeddingSize())
                    .optHiddenSize(options.hiddenSize()).optDropout(options.dropout())
                    .optAttentionPenalty(options.attentionPenalty())
                    // the paper's deep output layer: on the synthetic scenes it named more true
                    // colour-shape pairs than the plain output layer (see the README)
                    .optDeepOutput(true).build();
        }
        return DecoderConfig.builder().setVocabularySize(vocabularySize)
                .setFeatureSize(options.featureSize()).optEmbeddingSize(options.embeddingSize())
                .optHiddenSize(options.hiddenSize()).optDropout(options.dropout())
                .optImageInjection(ImageInjection.INIT_STATE).optImageMerge(options.imageMerge()).build();
    }

    /**
     * Returns the most frequent tokenized training caption, ties broken alphabetically.
     *
     * @param captions the tokenized training captions
     * @return the caption's tokens joined by spaces
     */
    static String mostCommonCaption(TokenizedCaptions captions) {
        Map<String, Integer> counts = new TreeMap<>();
        for (List<String> caption : captions.allTokens()) {
            counts.merge(String.join(" ", caption), 1, Integer::sum);
        }
        return counts.entrySet().stream()
                .max(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .orElseThrow().getKey();
    }
}
