package io.captioner;

/**
 * The word-by-word half of the encoder-decoder, seen as a step function that search algorithms
 * (greedy, beam, sampling) drive.
 *
 * <p>A decoder models P(S_t | I, S_1..S_{t-1}). {@link #start(float[][])} turns image features
 * into the initial state; each {@link #step(DecoderState, int[])} takes the previous token of every
 * row and returns the log-probabilities of the next one. Token ids are those of the model's
 * {@link io.captioner.text.Vocabulary}; the first step is fed {@code <start>}.
 *
 * <p>A decoder owns native memory (its parameters) and is closed by its owner. States it returns
 * are closed by the caller.
 */
public interface CaptionDecoder extends AutoCloseable {

    /**
     * Returns V, the number of token ids the decoder scores (specials included).
     *
     * @return the vocabulary size
     */
    int vocabularySize();

    /**
     * Returns the length of the image feature row the decoder expects: D for a vector, H·W·D for
     * a spatial map.
     *
     * @return the feature size, the product of {@link #featureShape()}
     */
    int featureSize();

    /**
     * Returns the shape of the feature rows the decoder expects: {@code {D}} for a vector (the
     * default), {@code {H, W, D}} for a spatial map flattened location-major, channels last (the
     * layout of {@link ImageEncoder}: location (y, x) has its D channels at {@code row[(y * W + x)
     * * D + c]}). An encoder feeds this decoder only if its {@link ImageEncoder#featureShape()} is
     * equal.
     *
     * @return a fresh array whose product is {@link #featureSize()}
     */
    default int[] featureShape() {
        return new int[] {featureSize()};
    }

    /**
     * Creates the initial state from image features.
     *
     * @param features B rows of {@link #featureSize()} floats, laid out as {@link #featureShape()}
     * @return a state with B rows
     * @throws IllegalArgumentException if a row does not have {@link #featureSize()} values
     */
    DecoderState start(float[][] features);

    /**
     * Returns whether {@link #step} can report the attention weights of each row over the feature
     * map's locations ({@link Step#attention()}). A decoder with attention has a spatial {@link
     * #featureShape()} {@code {H, W, D}}; its weights have one value per location, index {@code y * W
     * + x}.
     *
     * @return false unless the decoder attends over a spatial map (the default)
     */
    default boolean hasAttention() {
        return false;
    }

    /**
     * Creates the initial state, optionally asking every later step to report attention weights.
     * Steps from a state started without them (and from states derived from it by {@link #step} or
     * {@link #select}) return {@code null} weights and need not copy anything for them.
     *
     * @param features B rows of {@link #featureSize()} floats, laid out as {@link #featureShape()}
     * @param withAttention whether steps should report {@link Step#attention()}
     * @return a state with B rows
     * @throws IllegalArgumentException if a row does not have {@link #featureSize()} values, or
     *     attention is asked of a decoder without it (naming the decoder)
     */
    default DecoderState start(float[][] features, boolean withAttention) {
        if (withAttention && !hasAttention()) {
            throw new IllegalArgumentException(noAttention(this));
        }
        return start(features);
    }

    /** The message for attention asked of a decoder that has none, naming the decoder. */
    private static String noAttention(CaptionDecoder decoder) {
        return "attention weights were requested, but decoder " + decoder.getClass().getSimpleName()
                + " (feature shape " + java.util.Arrays.toString(decoder.featureShape())
                + ") has no attention (hasAttention() is false); only an attention decoder over a spatial"
                + " feature map reports them";
    }

    /**
     * Advances every row by one token.
     *
     * @param state the current state, B rows; not closed by this call
     * @param previousTokens B token ids, the last token of each row
     * @return natural-log probabilities of the next token, shape [B][V], and the new state
     */
    Step step(DecoderState state, int[] previousTokens);

    /**
     * Gathers rows of a state into a new state: reorders beams, duplicates an image's row into k
     * beams, or drops finished rows.
     *
     * @param state the source state; not closed by this call
     * @param rows for each row of the result, the source row it copies (repeats allowed)
     * @return a new state with {@code rows.length} rows
     */
    DecoderState select(DecoderState state, int[] rows);

    /** Releases the decoder's native memory; calling it again does nothing. */
    @Override
    void close();

    /**
     * The result of one decoding step.
     *
     * <p>All belong to the caller: the decoder must return fresh arrays (one per row, not shared
     * with other rows or later steps), because searches overwrite forbidden tokens with negative
     * infinity in place and keep attention rows in the captions they build.
     *
     * @param logProbs natural-log probabilities of the next token, shape [B][V]
     * @param state the state after the step, owned (and closed) by the caller
     * @param attention the weights each row attended with at this step, shape [B][L] with L = H·W
     *     locations (index {@code y * W + x}), each row summing to 1; null when the decoder has no
     *     attention or the state was started without asking for it
     */
    record Step(float[][] logProbs, DecoderState state, float[][] attention) {

        /**
         * Creates a step without attention weights.
         *
         * @param logProbs natural-log probabilities of the next token, shape [B][V]
         * @param state the state after the step
         */
        public Step(float[][] logProbs, DecoderState state) {
            this(logProbs, state, null);
        }
    }
}
