package io.captioner.models.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.captioner.search.TokenIds;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Small attention decoders and inputs shared by the attention decoder tests. */
final class AttentionFixtures {

    /** Vocabulary size. */
    static final int V = 23;
    /** Map rows. */
    static final int H = 2;
    /** Map columns. */
    static final int W = 3;
    /** Locations, H·W. */
    static final int L = H * W;
    /** Channels per location. */
    static final int D = 5;

    private AttentionFixtures() {}

    /**
     * V {@value #V}, a {@value #H}x{@value #W}x{@value #D} map, A 7, E 8, hidden 9, with the deep
     * output layer (the default).
     */
    static AttentionDecoderConfig config(AttentionActivation activation, double dropout) {
        return config(activation, dropout, true);
    }

    /** As {@link #config(AttentionActivation, double)}, with or without the deep output layer. */
    static AttentionDecoderConfig config(AttentionActivation activation, double dropout, boolean deepOutput) {
        return AttentionDecoderConfig.builder().setVocabularySize(V).setFeatureShape(H, W, D)
                .optAttentionSize(7).optEmbeddingSize(8).optHiddenSize(9).optDropout(dropout)
                .optActivation(activation).optDeepOutput(deepOutput).build();
    }

    /**
     * The architectures every path-equality test covers: both activations with the deep output
     * layer, and the plain output layer of decoders saved before it existed.
     */
    static Stream<Arguments> architectures() {
        return Stream.of(
                Arguments.of(AttentionActivation.TANH, true),
                Arguments.of(AttentionActivation.RELU, true),
                Arguments.of(AttentionActivation.TANH, false));
    }

    /**
     * A seeded decoder with normal noise added to every parameter, biases included (they start at
     * zero), so a bias or term dropped or doubled shows.
     */
    static AttentionCaptionDecoder perturbedDecoder(AttentionDecoderConfig config, int seed) {
        AttentionCaptionDecoder decoder = AttentionCaptionDecoder.create(config, seed);
        try (NDManager m = NDManager.newBaseManager()) {
            for (Pair<String, Parameter> p : decoder.block().getParameters()) {
                NDArray a = p.getValue().getArray();
                a.addi(m.randomNormal(0f, 0.3f, a.getShape(), a.getDataType()));
            }
        }
        return decoder;
    }

    /** {@code rows} feature rows of L·D standard-normal values. */
    static float[][] features(int rows, long seed) {
        Random random = new Random(seed);
        float[][] f = new float[rows][L * D];
        for (float[] row : f) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return f;
    }

    /** {@code <start>} followed by {@code length - 1} random word ids per row. */
    static long[][] captions(int rows, int length, long seed) {
        Random r = new Random(seed);
        long[][] t = new long[rows][length];
        for (long[] row : t) {
            row[0] = TokenIds.START;
            for (int j = 1; j < length; j++) {
                row[j] = TokenIds.FIRST_WORD + r.nextInt(V - TokenIds.FIRST_WORD);
            }
        }
        return t;
    }
}
