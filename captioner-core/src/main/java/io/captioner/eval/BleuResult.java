package io.captioner.eval;

import java.util.List;
import java.util.Map;

/**
 * Corpus and per-image BLEU-1..4 of an evaluated set, as returned by {@link Bleu#score}.
 *
 * @param scores corpus BLEU-1..4 (index k-1 is BLEU-k), each in [0, 1]
 * @param counts the corpus counts the scores were computed from
 * @param perImage image id to that image's BLEU-1..4, in the hypotheses' order; unmodifiable
 */
public record BleuResult(List<Double> scores, BleuCounts counts, Map<String, List<Double>> perImage) {

    /**
     * Copies the lists and map.
     *
     * @param scores see the record description
     * @param counts see the record description
     * @param perImage see the record description
     * @throws IllegalArgumentException if {@code scores} does not hold four values
     */
    public BleuResult {
        scores = List.copyOf(scores);
        if (scores.size() != Bleu.MAX_N) {
            throw new IllegalArgumentException("need " + Bleu.MAX_N + " BLEU scores, found " + scores.size());
        }
        perImage = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(perImage));
    }

    /**
     * Returns corpus BLEU-n.
     *
     * @param n the n-gram order, 1..4
     * @return the score in [0, 1]
     * @throws IllegalArgumentException if n is outside 1..4
     */
    public double bleu(int n) {
        if (n < 1 || n > Bleu.MAX_N) {
            throw new IllegalArgumentException("BLEU order must be 1.." + Bleu.MAX_N + ", found " + n);
        }
        return scores.get(n - 1);
    }

    @Override
    public String toString() {
        return "BleuResult[scores=" + scores + ", counts=" + counts + ", perImage=" + perImage.size() + " images]";
    }
}
