package io.captioner.search;

import io.captioner.CaptionDecoder;
import io.captioner.DecoderState;

/**
 * Scores a given caption by feeding its tokens to a decoder (teacher forcing): the check that a
 * search reported the model's true log-probabilities.
 *
 * <p>Stateless and thread-safe; every state it obtains is closed before it returns.
 */
public final class TeacherForcing {

    private TeacherForcing() {}

    /**
     * Returns the decoder's natural-log probability of each step of a caption.
     *
     * @param decoder the model; not closed
     * @param feature the image's feature vector
     * @param tokens the caption's word ids, without {@code <start>} or {@code <end>}
     * @param withEnd whether to score a final {@code <end>} step too
     * @return {@code tokens.length (+1 if withEnd)} log-probabilities, unmasked
     * @throws IllegalArgumentException if a token id is outside the decoder's vocabulary
     */
    public static float[] stepLogProbs(CaptionDecoder decoder, float[] feature, int[] tokens,
            boolean withEnd) {
        int v = decoder.vocabularySize();
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= v) {
                throw new IllegalArgumentException("tokens[" + i + "] must be in [0, " + v
                        + "), found " + tokens[i]);
            }
        }
        int steps = tokens.length + (withEnd ? 1 : 0);
        float[] out = new float[steps];
        DecoderState state = decoder.start(new float[][] {feature});
        try {
            int previous = TokenIds.START;
            for (int i = 0; i < steps; i++) {
                CaptionDecoder.Step step = decoder.step(state, new int[] {previous});
                if (step.state() != state) {
                    state.close();
                    state = step.state();
                }
                int token = i < tokens.length ? tokens[i] : TokenIds.END;
                out[i] = step.logProbs()[0][token];
                previous = token;
            }
        } finally {
            state.close();
        }
        return out;
    }

    /**
     * Returns the total natural-log probability of a caption: the sum, in order, of
     * {@link #stepLogProbs}.
     *
     * @param decoder the model; not closed
     * @param feature the image's feature vector
     * @param tokens the caption's word ids, without {@code <start>} or {@code <end>}
     * @param withEnd whether to include the final {@code <end>} step
     * @return the log-probability
     */
    public static double logProb(CaptionDecoder decoder, float[] feature, int[] tokens,
            boolean withEnd) {
        double sum = 0;
        for (float lp : stepLogProbs(decoder, feature, tokens, withEnd)) {
            sum += lp;
        }
        return sum;
    }
}
