package io.captioner.search;

import io.captioner.Caption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The captions a search found for one image, best first.
 *
 * <p>The list is never empty. Finished captions are ranked by {@link Hypothesis#score()}; only
 * when no caption finished does the list hold unfinished ones (the best partial beams), ranked the
 * same way. Beam search may return fewer than {@code nBest} entries when fewer captions finished;
 * greedy search and sampling return exactly one.
 *
 * @param hypotheses the captions, best first, pairwise distinct
 */
public record SearchResult(List<Hypothesis> hypotheses) {

    /**
     * Validates and copies the list.
     *
     * @throws IllegalArgumentException if the list is empty
     */
    public SearchResult {
        hypotheses = List.copyOf(hypotheses);
        if (hypotheses.isEmpty()) {
            throw new IllegalArgumentException("SearchResult needs at least one hypothesis, found 0");
        }
    }

    /**
     * Returns the best caption.
     *
     * @return {@code hypotheses().get(0)}
     */
    public Hypothesis best() {
        return hypotheses.get(0);
    }

    /**
     * Converts the result to a {@link Caption}: the best hypothesis, with the others as its
     * alternatives (best first).
     *
     * @param words maps a token id to its word, for example {@code vocabulary::token}
     * @return the caption
     */
    public Caption toCaption(IntFunction<String> words) {
        Caption best = hypotheses.get(0).toCaption(words);
        if (hypotheses.size() == 1) {
            return best;
        }
        List<Caption> others = new ArrayList<>(hypotheses.size() - 1);
        for (int i = 1; i < hypotheses.size(); i++) {
            others.add(hypotheses.get(i).toCaption(words));
        }
        return best.withAlternatives(others);
    }
}
