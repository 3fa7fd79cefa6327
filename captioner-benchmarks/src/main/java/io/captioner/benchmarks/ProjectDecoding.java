package io.captioner.benchmarks;

import io.captioner.CaptionDecoder;
import io.captioner.DecodingOptions;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.InferenceSettings;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.models.decoder.Precision;
import io.captioner.models.decoder.StepKernel;
import io.captioner.search.CaptionSearch;

/**
 * Builds the project's decoder ({@link LstmCaptionDecoder}, random weights) and search for a
 * benchmark, configured so that every decode runs exactly {@link Workloads#STEPS} decoder steps:
 * {@code minLength = maxLength = STEPS - 1} forbids {@code <end>} for 15 words and then allows only
 * {@code <end>}, so the 16th step ends every caption and beam search's early stop cannot fire
 * earlier.
 */
public final class ProjectDecoding {

    private ProjectDecoding() {}

    /**
     * Creates the project's LSTM decoder with random weights.
     *
     * @param shape the sizes
     * @param seed the engine seed for the initial weights
     * @return the decoder; the caller closes it
     */
    public static LstmCaptionDecoder decoder(ModelShape shape, int seed) {
        return decoder(shape, seed, InferenceSettings.defaults());
    }

    /**
     * Creates the project's LSTM decoder with random weights, decoding with the given settings.
     *
     * @param shape the sizes
     * @param seed the engine seed for the initial weights
     * @param settings precision and few-row kernel
     * @return the decoder; the caller closes it
     */
    public static LstmCaptionDecoder decoder(ModelShape shape, int seed, InferenceSettings settings) {
        DecoderConfig config = DecoderConfig.builder()
                .setVocabularySize(shape.vocabularySize())
                .setFeatureSize(shape.featureSize())
                .optEmbeddingSize(shape.embeddingSize())
                .optHiddenSize(shape.hiddenSize())
                .optNumLayers(1)
                .build();
        return LstmCaptionDecoder.create(config, seed, settings);
    }

    /**
     * Parses the {@code precision} and {@code kernel} benchmark parameters into decoder settings
     * (the few-row limit is the SDK's default).
     *
     * @param precision {@code fp32}, {@code bf16} or {@code int8}
     * @param kernel {@code auto}, {@code torch}, {@code vector} or {@code scalar}
     * @return the settings
     * @throws IllegalArgumentException naming an unknown value
     */
    public static InferenceSettings settings(String precision, String kernel) {
        return InferenceSettings.of(Precision.parse(precision)).withKernel(StepKernel.parse(kernel));
    }

    /**
     * Returns the search for a {@code search} parameter with fixed-length captions.
     *
     * @param search {@code greedy} or {@code beamK}
     * @return greedy or beam search (n-best 1)
     */
    public static CaptionSearch search(String search) {
        int k = Workloads.beamWidth(search);
        DecodingOptions.Builder b = DecodingOptions.builder()
                .optMaxLength(Workloads.STEPS - 1)
                .optMinLength(Workloads.STEPS - 1);
        if (k > 1) {
            b.optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(k).optNBest(1);
        } else {
            b.optStrategy(DecodingOptions.Strategy.GREEDY);
        }
        return CaptionSearch.of(b.build());
    }

    /**
     * Runs one decode through a step counter and checks it made exactly {@link Workloads#STEPS}
     * decoder steps.
     *
     * @param decoder the decoder
     * @param search the search
     * @param features the input batch
     * @throws IllegalStateException naming the count found if it differs
     */
    public static void checkFixedSteps(CaptionDecoder decoder, CaptionSearch search, float[][] features) {
        CountingDecoder counting = new CountingDecoder(decoder);
        search.decode(counting, features);
        if (counting.steps() != Workloads.STEPS) {
            throw new IllegalStateException(search.options() + " made " + counting.steps()
                    + " decoder steps per decode, expected " + Workloads.STEPS);
        }
    }
}
