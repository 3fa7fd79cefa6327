package io.captioner.search;

import io.captioner.DecodingOptions;
import io.captioner.DecodingOptions.LengthPenalty;

/**
 * Length normalisation of caption scores, shared by all searches and by tests that check them.
 *
 * <p>A caption's <em>steps</em> are the decoding steps it used: its tokens, plus one for
 * {@code <end>} when it finished. Its score is {@code logProb / divisor(steps)} where the divisor is
 * 1 ({@link LengthPenalty#NONE}), {@code steps} ({@link LengthPenalty#AVERAGE}) or
 * {@code ((5 + steps) / 6)^α} ({@link LengthPenalty#GNMT}). Higher scores are better.
 *
 * <p>Stateless and thread-safe.
 */
final class Scoring {

    private Scoring() {}

    /**
     * Returns the positive number a caption's total log-probability is divided by.
     *
     * @param penalty the normalisation kind
     * @param alpha GNMT's α; ignored by the other kinds
     * @param steps the caption's decoding steps ({@code <end>} included when finished), at least 0
     * @return the divisor, at least 1 for steps ≥ 1
     */
    public static double divisor(LengthPenalty penalty, double alpha, int steps) {
        return switch (penalty) {
            case NONE -> 1.0;
            case AVERAGE -> Math.max(1, steps);
            case GNMT -> Math.pow((5.0 + steps) / 6.0, alpha);
        };
    }

    /**
     * Returns the length-normalised score of a caption under the given options.
     *
     * @param logProb the caption's total natural-log probability, at most 0
     * @param steps the caption's decoding steps ({@code <end>} included when finished)
     * @param options supplies the length penalty and α
     * @return {@code logProb / divisor(steps)}
     */
    public static double score(double logProb, int steps, DecodingOptions options) {
        return logProb / divisor(options.lengthPenalty(), options.lengthPenaltyAlpha(), steps);
    }

    /**
     * Returns an upper bound on the score of any finished caption that extends a live beam: the
     * early-stopping bound of {@link BeamSearch}.
     *
     * <p>Log-probabilities are at most 0, so every descendant has a log-probability at most the
     * beam's {@code logProb} and at most {@code maxLength + 1} steps. The divisor grows with the
     * number of steps (AVERAGE, GNMT with α ≥ 0) or is constant (NONE), and dividing a non-positive
     * number by a larger divisor can only raise it, so {@code logProb / divisor(maxLength + 1)} bounds
     * every descendant's score. For NONE the bound is the beam's log-probability itself.
     *
     * @param logProb the live beam's log-probability, at most 0
     * @param options supplies the length penalty, α and the maximum length
     * @return an upper bound on the score of every finished extension of the beam
     */
    public static double upperBound(double logProb, DecodingOptions options) {
        return logProb / divisor(options.lengthPenalty(), options.lengthPenaltyAlpha(),
                options.maxLength() + 1);
    }
}
