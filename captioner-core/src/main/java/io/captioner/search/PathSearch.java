package io.captioner.search;

import io.captioner.DecodingOptions;
import java.util.List;

/**
 * Searches that follow a single path per image, choosing one token per step: greedy search and
 * sampling differ only in how the token is chosen.
 */
abstract class PathSearch extends BatchedSearch {

    PathSearch(DecodingOptions options) {
        super(options);
    }

    /** Chooses tokens for the rows of one decode call; may hold scratch buffers. */
    interface Chooser {
        /**
         * Returns the chosen token of a masked row, or -1 when every token is forbidden.
         *
         * @param row masked log-probabilities (forbidden tokens are negative infinity or NaN)
         * @param image the index of the image in the call, for per-image random streams
         */
        int choose(float[] row, int image);
    }

    /** Creates the chooser of one decode call. */
    abstract Chooser chooser(int images, int vocabularySize);

    @Override
    final int maxRowsPerImage() {
        return 1;
    }

    @Override
    final Track[] tracks(int images, int vocabularySize, int[] grid) {
        Chooser chooser = chooser(images, vocabularySize);
        Track[] tracks = new Track[images];
        for (int i = 0; i < images; i++) {
            tracks[i] = new PathTrack(options(), chooser, i, grid);
        }
        return tracks;
    }

    private static final class PathTrack implements Track {
        private final DecodingOptions options;
        private final TokenMask mask;
        private final Chooser chooser;
        private final int image;
        private final int[] tokens;
        private final float[] logProbs;
        /** The weights of each word's step, or null when attention is not recorded. */
        private final float[][] attention;
        private final int[] grid;
        private int length;
        private boolean done;
        private boolean finished;

        PathTrack(DecodingOptions options, Chooser chooser, int image, int[] grid) {
            this.options = options;
            this.mask = new TokenMask(options);
            this.chooser = chooser;
            this.image = image;
            this.tokens = new int[options.maxLength() + 1];
            this.logProbs = new float[options.maxLength() + 1];
            this.grid = grid;
            this.attention = grid == null ? null : new float[options.maxLength() + 1][];
        }

        @Override
        public int live() {
            return done ? 0 : 1;
        }

        @Override
        public boolean done() {
            return done;
        }

        @Override
        public int advance(float[][] rows, float[][] weights, int rowOffset, int[] select, int[] previous,
                int out) {
            float[] row = rows[rowOffset];
            mask.apply(row, tokens, length);
            int token = chooser.choose(row, image);
            if (token < 0) {
                done = true; // nothing allowed: the caption so far is returned unfinished
                return out;
            }
            logProbs[length] = row[token];
            if (token == TokenIds.END) {
                finished = true;
                done = true;
                return out;
            }
            if (attention != null) {
                attention[length] = weights[rowOffset];
            }
            tokens[length++] = token;
            select[out] = rowOffset;
            previous[out] = token;
            return out + 1;
        }

        @Override
        public SearchResult result() {
            int steps = length + (finished ? 1 : 0);
            double divisor = Scoring.divisor(options.lengthPenalty(), options.lengthPenaltyAlpha(),
                    steps);
            return new SearchResult(List.of(
                    Hypothesis.of(tokens, logProbs, length, finished, divisor, attention, grid)));
        }
    }
}
