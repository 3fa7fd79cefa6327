package io.captioner.search;

import io.captioner.DecodingOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Beam search of width k over a batch of images, returning an n-best list per image.
 *
 * <p>Each image starts with one beam (so the first step cannot produce k copies of the same
 * caption). At every step the candidates are all allowed one-token extensions of all live beams of
 * the image, ranked by total log-probability; the best 2k of them are found with a bounded heap
 * (no sort of the vocabulary; at most k of them are {@code <end>}, so they hold the k best word
 * candidates). Going through them best first until k word candidates are collected, the word
 * candidates become the new live beams and every {@code <end>} candidate met on the way (one that
 * outranks the k-th surviving word candidate) becomes a finished caption. So the image keeps k live
 * beams while candidates last, and with k = 1 and no length penalty the search makes exactly greedy
 * search's choices (a caption ends exactly when {@code <end>} beats every word).
 *
 * <p>Finished captions are ranked by their length-normalised score ({@link Scoring}); the best
 * {@code nBest} are kept. Captions are distinct by construction: live beams of one step are
 * distinct sequences of equal length, and each finished caption is one of them plus {@code <end>}.
 *
 * <p><b>Early stop.</b> An image stops once it holds {@code nBest} finished captions and the worst of
 * them scores at least {@link Scoring#upperBound(double, DecodingOptions)} of its best live beam:
 * the beam's log-probability divided by the penalty divisor at the longest possible length
 * ({@code maxLength + 1} steps). Because log-probabilities are at most 0 and the divisor never
 * shrinks with length, no extension of any live beam can then enter the n-best list, so stopping is
 * exact (it never changes the result, only saves steps). For NONE this is the familiar "best live
 * log-probability is below the n-th finished"; for AVERAGE and GNMT it is weaker but safe.
 *
 * <p><b>Length limits.</b> {@code <end>} is forbidden before {@code minLength} words; after
 * {@code maxLength} words only {@code <end>} is allowed. When no caption of an image finished
 * (for example the model gives {@code <end>} zero probability) the result holds its best live
 * beams as unfinished captions instead of nothing.
 *
 * <p>Immutable and thread-safe; each call allocates its own buffers.
 */
public final class BeamSearch extends BatchedSearch {

    /**
     * Creates a beam search; the strategy field of the options is not consulted.
     *
     * @param options beam width, n-best size, length limits, penalty and constraints
     */
    public BeamSearch(DecodingOptions options) {
        this(options, true);
    }

    /**
     * Creates a beam search that may run without early stopping, for tests that prove the early
     * stop exact.
     */
    BeamSearch(DecodingOptions options, boolean earlyStop) {
        super(options);
        this.earlyStop = earlyStop;
    }

    private final boolean earlyStop;

    @Override
    int maxRowsPerImage() {
        return options().beamSize();
    }

    @Override
    Track[] tracks(int images, int vocabularySize, int[] grid) {
        Scratch scratch = new Scratch(options(), vocabularySize);
        Track[] tracks = new Track[images];
        for (int i = 0; i < images; i++) {
            tracks[i] = new BeamTrack(options(), vocabularySize, scratch, earlyStop, grid);
        }
        return tracks;
    }

    /** Buffers shared by the images of one call (they are processed one after another). */
    private static final class Scratch {
        final CandidateHeap heap;
        final double[] candidateScores;
        final int[] candidateCodes;
        final float[] endLogProbs;

        Scratch(DecodingOptions options, int vocabularySize) {
            int k = options.beamSize();
            int candidates = 2 * k;
            heap = new CandidateHeap(candidates);
            candidateScores = new double[candidates];
            candidateCodes = new int[candidates];
            endLogProbs = new float[options.maxLength() + 1];
        }
    }

    private static final class BeamTrack implements Track {
        private final DecodingOptions options;
        private final TokenMask mask;
        private final Scratch scratch;
        private final int k;
        private final int nBest;
        private final int vocabularySize;
        private final boolean earlyStop;

        private int[][] tokens;
        private float[][] logProbs;
        private double[] totals;
        private int[][] nextTokens;
        private float[][] nextLogProbs;
        private double[] nextTotals;
        /** Per live beam, the attention rows of its words; null when attention is not recorded. */
        private float[][][] attention;
        private float[][][] nextAttention;
        private final int[] grid;
        private int live = 1;
        private int length;
        private boolean done;

        /** Finished captions, best first. */
        private final Hypothesis[] finished;
        private int finishedCount;
        private List<Hypothesis> partial;

        BeamTrack(DecodingOptions options, int vocabularySize, Scratch scratch, boolean earlyStop,
                int[] grid) {
            this.options = options;
            this.earlyStop = earlyStop;
            this.mask = new TokenMask(options);
            this.scratch = scratch;
            this.k = options.beamSize();
            this.nBest = options.nBest();
            this.vocabularySize = vocabularySize;
            int width = options.maxLength() + 1;
            tokens = new int[k][width];
            logProbs = new float[k][width];
            totals = new double[k];
            nextTokens = new int[k][width];
            nextLogProbs = new float[k][width];
            nextTotals = new double[k];
            this.grid = grid;
            if (grid != null) {
                attention = new float[k][width][];
                nextAttention = new float[k][width][];
            }
            finished = new Hypothesis[nBest];
        }

        @Override
        public int live() {
            return done ? 0 : live;
        }

        @Override
        public boolean done() {
            return done;
        }

        @Override
        public int advance(float[][] rows, float[][] weights, int rowOffset, int[] select, int[] previous,
                int out) {
            CandidateHeap heap = scratch.heap;
            heap.reset(2 * k);
            int v = vocabularySize;
            for (int j = 0; j < live; j++) {
                float[] row = rows[rowOffset + j];
                mask.apply(row, tokens[j], length);
                double total = totals[j];
                for (int t = 0; t < v; t++) {
                    float lp = row[t];
                    if (!(lp > Float.NEGATIVE_INFINITY)) {
                        continue; // forbidden, or NaN
                    }
                    double candidate = total + lp;
                    if (heap.accepts(candidate, j * v + t)) {
                        heap.offer(candidate, j * v + t);
                    }
                }
            }
            int n = heap.drainDescending(scratch.candidateScores, scratch.candidateCodes);
            if (n == 0) {
                finish();
                return out;
            }
            int start = out;
            int newLive = 0;
            for (int r = 0; r < n && newLive < k; r++) {
                int code = scratch.candidateCodes[r];
                int parent = code / v;
                int token = code - parent * v;
                float lp = rows[rowOffset + parent][token];
                if (token == TokenIds.END) {
                    offerFinished(parent, lp); // it outranks the k-th word candidate
                    continue;
                }
                System.arraycopy(tokens[parent], 0, nextTokens[newLive], 0, length);
                System.arraycopy(logProbs[parent], 0, nextLogProbs[newLive], 0, length);
                nextTokens[newLive][length] = token;
                nextLogProbs[newLive][length] = lp;
                if (attention != null) {
                    // the beam's words keep their weights as the beams are reordered
                    System.arraycopy(attention[parent], 0, nextAttention[newLive], 0, length);
                    nextAttention[newLive][length] = weights[rowOffset + parent];
                }
                nextTotals[newLive] = scratch.candidateScores[r];
                select[out] = rowOffset + parent;
                previous[out] = token;
                out++;
                newLive++;
            }
            if (newLive == 0) {
                // Only <end> candidates were left, so at least one finished: nothing more to do.
                done = true;
                return start;
            }
            int[][] swapTokens = tokens;
            tokens = nextTokens;
            nextTokens = swapTokens;
            float[][] swapLogProbs = logProbs;
            logProbs = nextLogProbs;
            nextLogProbs = swapLogProbs;
            double[] swapTotals = totals;
            totals = nextTotals;
            nextTotals = swapTotals;
            float[][][] swapAttention = attention;
            attention = nextAttention;
            nextAttention = swapAttention;
            live = newLive;
            length++;
            if (earlyStop && finishedCount == nBest
                    && finished[nBest - 1].score() >= Scoring.upperBound(totals[0], options)) {
                done = true; // safe: no live beam can produce a caption that enters the n-best
                return start;
            }
            return out;
        }

        private void offerFinished(int parent, float endLogProb) {
            double divisor = Scoring.divisor(options.lengthPenalty(), options.lengthPenaltyAlpha(),
                    length + 1);
            double score = (totals[parent] + endLogProb) / divisor;
            if (finishedCount == nBest && !(score > finished[nBest - 1].score())) {
                return;
            }
            float[] steps = scratch.endLogProbs;
            System.arraycopy(logProbs[parent], 0, steps, 0, length);
            steps[length] = endLogProb;
            Hypothesis h = Hypothesis.of(tokens[parent], steps, length, true, divisor,
                    attention == null ? null : attention[parent], grid);
            int i = Math.min(finishedCount, nBest - 1);
            while (i > 0 && h.score() > finished[i - 1].score()) {
                finished[i] = finished[i - 1];
                i--;
            }
            finished[i] = h;
            if (finishedCount < nBest) {
                finishedCount++;
            }
        }

        /** No candidate at all: keep the finished captions, or fall back to the live beams. */
        private void finish() {
            done = true;
            if (finishedCount == 0) {
                double divisor = Scoring.divisor(options.lengthPenalty(),
                        options.lengthPenaltyAlpha(), length);
                List<Hypothesis> beams = new ArrayList<>(Math.min(live, nBest));
                for (int j = 0; j < live && j < nBest; j++) {
                    beams.add(Hypothesis.of(tokens[j], logProbs[j], length, false, divisor,
                            attention == null ? null : attention[j], grid));
                }
                partial = beams;
            }
        }

        @Override
        public SearchResult result() {
            if (finishedCount > 0) {
                List<Hypothesis> list = new ArrayList<>(finishedCount);
                for (int i = 0; i < finishedCount; i++) {
                    list.add(finished[i]);
                }
                return new SearchResult(list);
            }
            return new SearchResult(partial);
        }
    }
}
