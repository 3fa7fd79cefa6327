package io.captioner.search;

import io.captioner.AttentionWeights;
import io.captioner.Caption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * One caption found by a search, as token ids with the model's log-probability of every step.
 *
 * <p>{@code tokens} never contain {@code <start>} or {@code <end>}. {@code stepLogProbs} holds the
 * decoder's natural-log probability of each emitted step as the model gave it (before temperature
 * or any filtering), including the {@code <end>} step when {@code finished}; so it has
 * {@code tokens.size() + 1} entries for a finished caption and {@code tokens.size()} for a partial
 * one (a caption cut off by the maximum length, or one that could not end). {@code logProb} is the
 * sum of {@code stepLogProbs} in order; {@code score} is {@code logProb} normalised by
 * {@link Scoring#score(double, int, io.captioner.DecodingOptions)}. {@code attention} has one row
 * per token (the weights of the step that emitted it) when the search was asked for attention
 * ({@link io.captioner.DecodingOptions#attention()}), and is empty otherwise.
 *
 * @param tokens the word ids, in order
 * @param stepLogProbs the log-probability of each emitted step, {@code <end>} included if finished
 * @param logProb the sum of {@code stepLogProbs}
 * @param score the length-normalised score used to rank captions (higher is better)
 * @param finished whether the caption ended with {@code <end>}
 * @param attention one row of attention weights per token, or empty
 */
public record Hypothesis(
        List<Integer> tokens,
        List<Double> stepLogProbs,
        double logProb,
        double score,
        boolean finished,
        AttentionWeights attention) {

    /**
     * Validates and copies the lists.
     *
     * @throws IllegalArgumentException if the number of step log-probabilities does not match the
     *     tokens and the finished flag, or attention weights are given but not one row per token
     */
    public Hypothesis {
        Objects.requireNonNull(attention, "attention (use AttentionWeights.empty())");
        tokens = List.copyOf(tokens);
        stepLogProbs = List.copyOf(stepLogProbs);
        int expected = tokens.size() + (finished ? 1 : 0);
        if (stepLogProbs.size() != expected) {
            throw new IllegalArgumentException("Hypothesis stepLogProbs must have " + expected
                    + " entries (" + tokens.size() + " tokens" + (finished ? " + <end>" : "")
                    + "), found " + stepLogProbs.size());
        }
        if (!attention.isEmpty() && attention.tokens() != tokens.size()) {
            throw new IllegalArgumentException("Hypothesis attention needs one row per token, found "
                    + attention.tokens() + " rows for " + tokens.size() + " tokens");
        }
    }

    /**
     * Creates a hypothesis without attention weights.
     *
     * @param tokens the word ids, in order
     * @param stepLogProbs the log-probability of each emitted step, {@code <end>} included if
     *     finished
     * @param logProb the sum of {@code stepLogProbs}
     * @param score the length-normalised score
     * @param finished whether the caption ended with {@code <end>}
     * @throws IllegalArgumentException as the canonical constructor
     */
    public Hypothesis(List<Integer> tokens, List<Double> stepLogProbs, double logProb, double score,
            boolean finished) {
        this(tokens, stepLogProbs, logProb, score, finished, AttentionWeights.empty());
    }

    /** Builds a hypothesis without attention weights from search buffers; see the full overload. */
    static Hypothesis of(int[] tokens, float[] logProbs, int length, boolean finished, double divisor) {
        return of(tokens, logProbs, length, finished, divisor, null, null);
    }

    /**
     * Builds a hypothesis from search buffers; {@code logProb} is summed from the steps.
     *
     * @param tokens buffer whose first {@code length} entries are the word ids
     * @param logProbs buffer whose first {@code length (+1 if finished)} entries are step log-probs
     * @param length the number of words
     * @param finished whether {@code logProbs[length]} is the {@code <end>} step
     * @param divisor the length-normalisation divisor for {@code length (+1)} steps
     * @param attention buffer whose first {@code length} rows are the words' weights, or null
     * @param grid the feature map's {height, width}, used when {@code attention} is not null
     * @return the hypothesis
     */
    static Hypothesis of(int[] tokens, float[] logProbs, int length, boolean finished,
            double divisor, float[][] attention, int[] grid) {
        List<Integer> words = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            words.add(tokens[i]);
        }
        int steps = length + (finished ? 1 : 0);
        List<Double> lps = new ArrayList<>(steps);
        double sum = 0;
        for (int i = 0; i < steps; i++) {
            lps.add((double) logProbs[i]);
            sum += logProbs[i];
        }
        AttentionWeights weights = attention == null ? AttentionWeights.empty()
                : AttentionWeights.of(grid[0], grid[1], Arrays.copyOf(attention, length));
        return new Hypothesis(words, lps, sum, sum / divisor, finished, weights);
    }

    /**
     * Returns the number of decoding steps this caption used: its tokens plus {@code <end>}.
     *
     * @return {@code stepLogProbs().size()}
     */
    public int steps() {
        return stepLogProbs.size();
    }

    /**
     * Returns the word ids as a new array.
     *
     * @return a fresh array of {@code tokens().size()} ids
     */
    public int[] tokenArray() {
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = tokens.get(i);
        }
        return out;
    }

    /**
     * Converts this hypothesis to a {@link Caption} using a vocabulary's id-to-word mapping.
     *
     * @param words maps a token id to its word, for example {@code vocabulary::token}
     * @return a caption without alternatives; its {@code logProb} and attention weights equal this
     *     one's
     */
    public Caption toCaption(IntFunction<String> words) {
        List<String> text = new ArrayList<>(tokens.size());
        for (int id : tokens) {
            text.add(words.apply(id));
        }
        return new Caption(String.join(" ", text), text, logProb, stepLogProbs, List.of(), attention);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Hypothesis[%s%s, logProb=%.4f, score=%.4f]", tokens,
                finished ? "" : " (unfinished)", logProb, score);
    }
}
