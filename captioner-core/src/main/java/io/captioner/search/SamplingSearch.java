package io.captioner.search;

import io.captioner.DecodingOptions;
import java.util.SplittableRandom;

/**
 * Random sampling of each next token, with temperature, top-k and nucleus (top-p) filtering.
 *
 * <p>At each step the allowed tokens (after the constraints of {@link CaptionSearch}) are
 * reweighted as {@code exp(logProb / temperature)}; top-k keeps the k most probable of them; top-p
 * then keeps the smallest set of the most probable remaining tokens whose renormalised probability
 * reaches p; one token is drawn from what is left. A temperature near 0 therefore gives greedy
 * search's choices, and 1 samples from the model. Reported log-probabilities are the model's own,
 * not the tempered or filtered ones.
 *
 * <p><b>Reproducibility.</b> Every image draws from its own {@link SplittableRandom} seeded with
 * {@link DecodingOptions#seed()}, so an image's caption depends only on its features, the model
 * and the options: the same in a batch as alone, and the same on every run. To get different
 * samples for one image, change the seed.
 *
 * <p>Costs per step and row: one pass over the vocabulary, plus O(V log k) for top-k and
 * O(V + m log V) for top-p where m is the size of the nucleus. Immutable and thread-safe.
 */
final class SamplingSearch extends PathSearch {

    /**
     * Creates a sampling search.
     *
     * @param options temperature, topK, topP, seed, length limits and constraints
     */
    public SamplingSearch(DecodingOptions options) {
        super(options);
    }

    @Override
    Chooser chooser(int images, int vocabularySize) {
        return new Sampler(options(), images, vocabularySize);
    }

    /** Draws tokens; one per decode call, holding scratch buffers and the per-image streams. */
    static final class Sampler implements Chooser {
        private final double inverseTemperature;
        private final int topK;
        private final double topP;
        private final long seed;
        private final SplittableRandom[] streams;
        private final int[] ids;
        private final double[] weights;
        private final int[] order;
        private final int[] nucleusIds;
        private final double[] nucleusWeights;
        private final CandidateHeap heap;

        Sampler(DecodingOptions options, int images, int vocabularySize) {
            this.inverseTemperature = 1.0 / options.temperature();
            this.topK = options.topK();
            this.topP = options.topP();
            this.seed = options.seed();
            this.streams = new SplittableRandom[images];
            this.ids = new int[vocabularySize];
            this.weights = new double[vocabularySize];
            this.order = new int[vocabularySize];
            this.nucleusIds = new int[vocabularySize];
            this.nucleusWeights = new double[vocabularySize];
            this.heap = new CandidateHeap(topK > 0 ? Math.min(topK, vocabularySize) : 1);
        }

        @Override
        public int choose(float[] row, int image) {
            SplittableRandom random = streams[image];
            if (random == null) {
                random = new SplittableRandom(seed);
                streams[image] = random;
            }
            return sample(row, random);
        }

        int sample(float[] row, SplittableRandom random) {
            int n = 0;
            float max = Float.NEGATIVE_INFINITY;
            if (topK > 0) {
                // one pass: the bounded heap keeps the k most probable allowed tokens
                heap.reset(topK);
                for (int t = 0; t < row.length; t++) {
                    float lp = row[t];
                    if (lp > Float.NEGATIVE_INFINITY) {
                        if (lp > max) {
                            max = lp;
                        }
                        if (heap.accepts(lp, t)) {
                            heap.offer(lp, t);
                        }
                    }
                }
                n = heap.drainCodes(ids);
            } else {
                for (int t = 0; t < row.length; t++) {
                    float lp = row[t];
                    if (lp > Float.NEGATIVE_INFINITY) {
                        ids[n++] = t;
                        if (lp > max) {
                            max = lp;
                        }
                    }
                }
            }
            if (n == 0) {
                return -1;
            }
            double total = 0;
            for (int i = 0; i < n; i++) {
                double w = Math.exp((row[ids[i]] - (double) max) * inverseTemperature);
                weights[i] = w;
                total += w;
            }
            if (topP < 1.0) {
                n = nucleus(n, total);
                total = 0;
                for (int i = 0; i < n; i++) {
                    total += weights[i];
                }
            }
            double u = random.nextDouble() * total;
            int lastPositive = -1;
            for (int i = 0; i < n; i++) {
                if (weights[i] > 0) {
                    lastPositive = i;
                    u -= weights[i];
                    if (u < 0) {
                        return ids[i];
                    }
                }
            }
            return ids[lastPositive]; // rounding left u just above 0
        }

        /**
         * Reorders ids/weights so that the first m entries are the smallest most-probable set whose
         * weight reaches topP of {@code total}, in descending weight (smaller id first on ties).
         *
         * @return m
         */
        private int nucleus(int n, double total) {
            // Lazy selection: heapify positions by weight in O(n), pop only the nucleus.
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = (n >>> 1) - 1; i >= 0; i--) {
                siftDown(i, n);
            }
            double target = topP * total;
            double sum = 0;
            int size = n;
            int m = 0;
            // Popped positions go to the end of `order`, the nucleus is order[n-1], order[n-2], ...
            while (size > 0 && sum < target) {
                int top = order[0];
                order[0] = order[--size];
                order[size] = top;
                siftDown(0, size);
                sum += weights[top];
                m++;
            }
            // Copy the nucleus (positions order[n-m .. n-1], best last) to the front, best first.
            for (int i = 0; i < m; i++) {
                int pos = order[n - 1 - i];
                nucleusIds[i] = ids[pos];
                nucleusWeights[i] = weights[pos];
            }
            System.arraycopy(nucleusIds, 0, ids, 0, m);
            System.arraycopy(nucleusWeights, 0, weights, 0, m);
            return m;
        }

        private void siftDown(int i, int size) {
            int item = order[i];
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                int right = child + 1;
                if (right < size && before(order[right], order[child])) {
                    child = right;
                }
                if (!before(order[child], item)) {
                    break;
                }
                order[i] = order[child];
                i = child;
            }
            order[i] = item;
        }

        /** Whether position a comes before position b: higher weight, then smaller token id. */
        private boolean before(int a, int b) {
            return weights[a] > weights[b] || (weights[a] == weights[b] && ids[a] < ids[b]);
        }
    }
}
