package io.captioner.models.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Random;

/**
 * Small decoders, inputs and comparisons shared by the tests that pin the decoder's inference
 * steps ({@link FastStepTest}, {@link SplitStepTest}) to PyTorch's {@code lstm} operator path.
 */
final class StepFixtures {

    /** Vocabulary size of the test decoders. */
    static final int V = 30;
    /** Image feature size of the test decoders. */
    static final int D = 12;
    /** A batch large enough to take the operator path. */
    static final int BIG = LstmCaptionDecoder.FAST_STEP_MAX_ROWS + 4;

    private StepFixtures() {}

    /** E 16, H 24, V {@value #V}, D {@value #D}, no image merge. */
    static DecoderConfig config(ImageInjection injection, int layers, double dropout) {
        return config(injection, layers, dropout, false);
    }

    /** E 16, H 24, V {@value #V}, D {@value #D}. */
    static DecoderConfig config(ImageInjection injection, int layers, double dropout, boolean merge) {
        return DecoderConfig.builder().setVocabularySize(V).setFeatureSize(D).optEmbeddingSize(16)
                .optHiddenSize(24).optNumLayers(layers).optDropout(dropout).optImageInjection(injection)
                .optImageMerge(merge).build();
    }

    /**
     * A seeded decoder with normal noise of the given deviation added to every parameter, biases
     * included, so a bias or term dropped or doubled shows.
     */
    static LstmCaptionDecoder perturbedDecoder(DecoderConfig config, int seed, float noise) {
        return perturbedDecoder(config, seed, noise, InferenceSettings.defaults());
    }

    /** {@link #perturbedDecoder(DecoderConfig, int, float)} that decodes with the given settings. */
    static LstmCaptionDecoder perturbedDecoder(DecoderConfig config, int seed, float noise,
            InferenceSettings settings) {
        LstmCaptionDecoder decoder = LstmCaptionDecoder.create(config, seed, settings);
        try (NDManager m = NDManager.newBaseManager()) {
            for (Pair<String, Parameter> p : decoder.block().getParameters()) {
                NDArray a = p.getValue().getArray();
                a.addi(m.randomNormal(0f, noise, a.getShape(), a.getDataType()));
            }
        }
        decoder.block().parametersChanged();
        return decoder;
    }

    /** {@code rows} standard-normal feature vectors of size {@value #D}. */
    static float[][] features(int rows, long seed) {
        Random random = new Random(seed);
        float[][] f = new float[rows][D];
        for (float[] row : f) {
            for (int j = 0; j < D; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return f;
    }

    /** {@code rows} random token ids in [1, V). */
    static int[] tokens(int rows, Random random) {
        int[] t = new int[rows];
        for (int i = 0; i < rows; i++) {
            t[i] = 1 + random.nextInt(V - 1);
        }
        return t;
    }

    /** Asserts row {@code r} of {@code small} equals row {@code bigRowOfSmallRow[r]} of {@code big} to 1e-5. */
    static void assertRowsEqual(float[][] small, float[][] big, int[] bigRowOfSmallRow, String what) {
        for (int row = 0; row < small.length; row++) {
            for (int v = 0; v < V; v++) {
                assertThat(small[row][v]).as("%s, row %d, token %d", what, row, v)
                        .isCloseTo(big[bigRowOfSmallRow[row]][v], within(1e-5f));
            }
        }
    }

    /** Asserts every row of {@code small} equals the same row of {@code big} to 1e-5. */
    static void assertRowsEqual(float[][] small, float[][] big, String what) {
        int[] same = new int[small.length];
        for (int i = 0; i < same.length; i++) {
            same[i] = i;
        }
        assertRowsEqual(small, big, same, what);
    }
}
