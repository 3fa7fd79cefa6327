package io.captioner.search;

import io.captioner.DecodingOptions;

/**
 * Greedy search: at every step the most probable allowed token (the smallest id on ties).
 *
 * <p>Honours the length limits and constraints of the options (see {@link CaptionSearch}); the
 * beam, n-best and sampling fields are ignored. The caption ends when {@code <end>} is the most
 * probable token; after {@code maxLength} words only {@code <end>} is allowed, and if even that is
 * impossible the caption is returned unfinished. Immutable and thread-safe.
 */
public final class GreedySearch extends PathSearch {

    /**
     * Creates a greedy search.
     *
     * @param options length limits and constraints
     */
    public GreedySearch(DecodingOptions options) {
        super(options);
    }

    @Override
    Chooser chooser(int images, int vocabularySize) {
        return (row, image) -> argmax(row);
    }

    /** Returns the index of the largest finite value (first on ties), or -1 if there is none. */
    static int argmax(float[] row) {
        int best = -1;
        float max = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < row.length; t++) {
            if (row[t] > max) {
                max = row[t];
                best = t;
            }
        }
        return best;
    }
}
