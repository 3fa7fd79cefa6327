package io.captioner;

import java.util.List;
import java.util.Objects;

/**
 * One generated caption: its text, its tokens and how probable the model found it.
 *
 * <p>{@code tokens} are the words without {@code <start>}/{@code <end>}; {@code tokenLogProbs} has
 * one natural-log probability per emitted step, so it is one longer than {@code tokens} when the
 * caption ended with {@code <end>} (the last entry is the end token's). {@code logProb} is their
 * sum. {@code alternatives} holds the other entries of an n-best list (best first, never including
 * this caption itself); it is empty unless more than one caption was requested. {@code attention}
 * holds, per token, where the model looked on the feature map (tokens × H × W); it is {@link
 * AttentionWeights#empty()} unless attention was requested ({@link DecodingOptions#attention()})
 * from a model that has it.
 *
 * @param text the caption as a sentence: tokens joined by single spaces
 * @param tokens the words of the caption, in order
 * @param logProb the total natural-log probability of the emitted steps
 * @param tokenLogProbs the natural-log probability of each emitted step
 * @param alternatives other captions for the same image, best first
 * @param attention one row of attention weights per token, or empty
 */
public record Caption(
        String text,
        List<String> tokens,
        double logProb,
        List<Double> tokenLogProbs,
        List<Caption> alternatives,
        AttentionWeights attention) {

    /**
     * Validates and copies the lists so that a caption is immutable.
     *
     * @throws IllegalArgumentException if {@code text} does not equal the tokens joined by spaces,
     *     if there are fewer per-step log-probabilities than tokens, or if attention weights are
     *     given but not one row per token
     */
    public Caption {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(attention, "attention (use AttentionWeights.empty())");
        tokens = List.copyOf(tokens);
        tokenLogProbs = List.copyOf(tokenLogProbs);
        alternatives = List.copyOf(alternatives);
        if (!attention.isEmpty() && attention.tokens() != tokens.size()) {
            throw new IllegalArgumentException("Caption attention needs one row per token, found "
                    + attention.tokens() + " rows for " + tokens.size() + " tokens");
        }
        if (!text.equals(String.join(" ", tokens))) {
            throw new IllegalArgumentException(
                    "Caption text must be its tokens joined by spaces, found text '" + text
                            + "' for tokens " + tokens);
        }
        if (tokenLogProbs.size() < tokens.size() || tokenLogProbs.size() > tokens.size() + 1) {
            throw new IllegalArgumentException(
                    "Caption needs one log-probability per token (plus one for <end>), found "
                            + tokenLogProbs.size() + " for " + tokens.size() + " tokens");
        }
    }

    /**
     * Creates a caption without attention weights.
     *
     * @param text the caption as a sentence: tokens joined by single spaces
     * @param tokens the words of the caption, in order
     * @param logProb the total natural-log probability of the emitted steps
     * @param tokenLogProbs the natural-log probability of each emitted step
     * @param alternatives other captions for the same image, best first
     * @throws IllegalArgumentException as the canonical constructor
     */
    public Caption(String text, List<String> tokens, double logProb, List<Double> tokenLogProbs,
            List<Caption> alternatives) {
        this(text, tokens, logProb, tokenLogProbs, alternatives, AttentionWeights.empty());
    }

    /**
     * Creates a caption without alternatives; {@code logProb} is the sum of {@code tokenLogProbs}.
     *
     * @param tokens the words of the caption
     * @param tokenLogProbs the natural-log probability of each emitted step
     * @return the caption
     */
    public static Caption of(List<String> tokens, List<Double> tokenLogProbs) {
        double sum = 0;
        for (double lp : tokenLogProbs) {
            sum += lp;
        }
        return new Caption(String.join(" ", tokens), tokens, sum, tokenLogProbs, List.of());
    }

    /**
     * Returns a copy of this caption carrying the given n-best alternatives.
     *
     * @param others other captions for the same image, best first
     * @return a new caption
     */
    public Caption withAlternatives(List<Caption> others) {
        return new Caption(text, tokens, logProb, tokenLogProbs, others, attention);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "Caption[\"%s\", logProb=%.4f]", text, logProb);
    }
}
