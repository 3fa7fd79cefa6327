package io.captioner.testing;

import io.captioner.CaptionDecoder;
import io.captioner.DecoderState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A tiny, fully deterministic language model implementing {@link CaptionDecoder}, for testing
 * searches without an engine: small enough that all captions can be enumerated.
 *
 * <p>The next-token distribution of a row is the log-softmax of logits given by a {@link LogitModel}
 * from the row's image feature and the tokens fed so far (its history, starting with
 * {@code <start>}). It depends on nothing else, so a row's log-probabilities are the same whether
 * it is decoded alone or in a batch, and after any {@link #select} reordering. Logits may be
 * negative infinity (probability 0) but not all of them.
 *
 * <p>The fake records what the search did: every state it handed out and whether it was closed
 * ({@link #openStates()}), the number of rows of each step call ({@link #stepBatchSizes()}), and it
 * fails loudly (IllegalStateException) when a closed state is used. {@link #failOnStep(int)} makes a
 * step throw, to test cleanup on errors. {@link #withAttention(int, int)} gives it attention over an
 * H × W map: each step's weights are a deterministic distribution over the locations given by the
 * row's feature and history ({@link #attention(float[], int[])}), reported only for states started
 * with attention, and counted ({@link #attentionRowsComputed()}). Not thread-safe.
 */
public final class FakeDecoder implements CaptionDecoder {

    /** Gives the raw (unnormalised) logits of the next token. */
    @FunctionalInterface
    public interface LogitModel {
        /**
         * Writes the logits of every token of the vocabulary.
         *
         * @param feature the row's image feature (do not modify)
         * @param history the tokens fed so far, {@code history[0]} being {@code <start>}
         * @param logits receives V logits; negative infinity means probability 0
         */
        void logits(float[] feature, int[] history, float[] logits);
    }

    private final int vocabularySize;
    private final int featureSize;
    private final LogitModel model;
    private final Set<FakeState> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Integer> stepBatchSizes = new ArrayList<>();
    private int statesCreated;
    private int selectCalls;
    private int failOnStep = -1;
    private boolean closed;
    /** {height, width} of the attention map, or null for a decoder without attention. */
    private int[] grid;
    private int attentionRowsComputed;

    private FakeDecoder(int vocabularySize, int featureSize, LogitModel model) {
        if (vocabularySize < 4) {
            throw new IllegalArgumentException("vocabularySize must be at least 4, found "
                    + vocabularySize);
        }
        this.vocabularySize = vocabularySize;
        this.featureSize = featureSize;
        this.model = model;
    }

    /**
     * Creates a fake from an explicit logit function.
     *
     * @param vocabularySize V, at least 4 (ids 0-3 are the special tokens)
     * @param featureSize D
     * @param model the logits of the next token given feature and history
     * @return the decoder
     */
    public static FakeDecoder of(int vocabularySize, int featureSize, LogitModel model) {
        return new FakeDecoder(vocabularySize, featureSize, model);
    }

    /**
     * Creates a seeded random second-order model: the logits depend on the image feature and the
     * last two tokens fed, drawn uniformly from [-3, 3], with {@code endBias} added to
     * {@code <end>}'s logit (positive: shorter captions; negative infinity: captions never end).
     *
     * @param vocabularySize V, at least 4
     * @param featureSize D
     * @param seed selects the model
     * @param endBias added to the logit of {@code <end>}
     * @return the decoder
     */
    public static FakeDecoder random(int vocabularySize, int featureSize, long seed, float endBias) {
        return new FakeDecoder(vocabularySize, featureSize, (feature, history, logits) -> {
            long key = mix(seed ^ Arrays.hashCode(feature));
            int n = history.length;
            key = mix(key + history[n - 1]);
            key = mix(key + (n >= 2 ? history[n - 2] + 1 : 0));
            for (int t = 0; t < logits.length; t++) {
                long h = mix(key + 0x9E3779B97F4A7C15L * (t + 1));
                double u = (h >>> 11) * 0x1.0p-53; // uniform [0, 1)
                logits[t] = (float) (6 * u - 3);
            }
            logits[2] += endBias;
        });
    }

    /**
     * Creates a seeded random second-order model without an end bias.
     *
     * @param vocabularySize V, at least 4
     * @param featureSize D
     * @param seed selects the model
     * @return the decoder
     */
    public static FakeDecoder random(int vocabularySize, int featureSize, long seed) {
        return random(vocabularySize, featureSize, seed, 0f);
    }

    /**
     * Returns a reproducible random feature vector.
     *
     * @param featureSize D
     * @param seed selects the vector
     * @return D floats in [-1, 1)
     */
    public static float[] feature(int featureSize, long seed) {
        float[] f = new float[featureSize];
        long s = seed;
        for (int i = 0; i < featureSize; i++) {
            s = mix(s + 0x9E3779B97F4A7C15L);
            f[i] = (float) ((s >>> 11) * 0x1.0p-53 * 2 - 1);
        }
        return f;
    }

    /** SplitMix64's finaliser: a good 64-bit mixing function. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Makes the n-th step call (counting from 0 over the decoder's life) throw an
     * IllegalStateException.
     *
     * @param stepCall the index of the failing call
     * @return this decoder
     */
    public FakeDecoder failOnStep(int stepCall) {
        this.failOnStep = stepCall;
        return this;
    }

    /**
     * Gives this decoder attention over an H × W map; the feature size must be a multiple of H·W
     * (D = featureSize / (H·W) channels per location).
     *
     * @param height H
     * @param width W
     * @return this decoder
     */
    public FakeDecoder withAttention(int height, int width) {
        if (height < 1 || width < 1 || featureSize % (height * width) != 0) {
            throw new IllegalArgumentException("featureSize " + featureSize + " must be a multiple of "
                    + height + " x " + width);
        }
        this.grid = new int[] {height, width};
        return this;
    }

    /**
     * Returns the attention weights the decoder reports for one history: a softmax over the H·W
     * locations of values hashed from the feature and the whole history.
     *
     * @param feature the image feature
     * @param history tokens fed so far, starting with {@code <start>}
     * @return H·W weights summing to 1
     * @throws IllegalStateException if the decoder has no attention
     */
    public float[] attention(float[] feature, int[] history) {
        if (grid == null) {
            throw new IllegalStateException("FakeDecoder has no attention: call withAttention first");
        }
        int locations = grid[0] * grid[1];
        long key = mix(0x5EEDL ^ Arrays.hashCode(feature) ^ mix(Arrays.hashCode(history)));
        double[] e = new double[locations];
        double sum = 0;
        for (int l = 0; l < locations; l++) {
            long h = mix(key + 0x9E3779B97F4A7C15L * (l + 1));
            e[l] = Math.exp(4 * ((h >>> 11) * 0x1.0p-53));
            sum += e[l];
        }
        float[] out = new float[locations];
        for (int l = 0; l < locations; l++) {
            out[l] = (float) (e[l] / sum);
        }
        return out;
    }

    /**
     * Returns how many attention rows steps have computed so far.
     *
     * @return the count
     */
    public int attentionRowsComputed() {
        return attentionRowsComputed;
    }

    /**
     * Returns the next-token log-probabilities for one history, without creating states.
     *
     * @param feature the image feature
     * @param history tokens fed so far, starting with {@code <start>}
     * @return V log-probabilities
     */
    public float[] logProbs(float[] feature, int[] history) {
        float[] logits = new float[vocabularySize];
        model.logits(feature, history, logits);
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            throw new IllegalStateException("LogitModel gave no finite logit for history "
                    + Arrays.toString(history));
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        double logZ = max + Math.log(sum);
        float[] out = new float[vocabularySize];
        for (int t = 0; t < vocabularySize; t++) {
            out[t] = (float) (logits[t] - logZ);
        }
        return out;
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public int featureSize() {
        return featureSize;
    }

    @Override
    public int[] featureShape() {
        return grid == null ? new int[] {featureSize}
                : new int[] {grid[0], grid[1], featureSize / (grid[0] * grid[1])};
    }

    @Override
    public boolean hasAttention() {
        return grid != null;
    }

    @Override
    public DecoderState start(float[][] features) {
        return start(features, false);
    }

    @Override
    public DecoderState start(float[][] features, boolean withAttention) {
        checkOpen();
        if (withAttention && grid == null) {
            throw new IllegalArgumentException("FakeDecoder has no attention, but it was requested");
        }
        int[][] histories = new int[features.length][];
        float[][] copies = new float[features.length][];
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != featureSize) {
                throw new IllegalArgumentException("features[" + i + "] must have " + featureSize
                        + " values, found " + features[i].length);
            }
            copies[i] = features[i].clone();
            histories[i] = new int[0];
        }
        return newState(copies, histories, withAttention);
    }

    @Override
    public Step step(DecoderState state, int[] previousTokens) {
        FakeState s = check(state);
        int stepIndex = stepBatchSizes.size();
        stepBatchSizes.add(previousTokens.length);
        if (stepIndex == failOnStep) {
            throw new IllegalStateException("FakeDecoder: injected failure at step call " + stepIndex);
        }
        if (previousTokens.length != s.histories.length) {
            throw new IllegalArgumentException("previousTokens must have " + s.histories.length
                    + " entries (state rows), found " + previousTokens.length);
        }
        int rows = previousTokens.length;
        float[][] logProbs = new float[rows][];
        int[][] histories = new int[rows][];
        for (int r = 0; r < rows; r++) {
            int token = previousTokens[r];
            if (token < 0 || token >= vocabularySize) {
                throw new IllegalArgumentException("previousTokens[" + r + "] must be in [0, "
                        + vocabularySize + "), found " + token);
            }
            int[] h = Arrays.copyOf(s.histories[r], s.histories[r].length + 1);
            h[h.length - 1] = token;
            histories[r] = h;
            logProbs[r] = logProbs(s.features[r], h);
        }
        float[][] attention = null;
        if (s.withAttention) {
            attention = new float[rows][];
            for (int r = 0; r < rows; r++) {
                attention[r] = attention(s.features[r], histories[r]);
                attentionRowsComputed++;
            }
        }
        return new Step(logProbs, newState(s.features, histories, s.withAttention), attention);
    }

    @Override
    public DecoderState select(DecoderState state, int[] rows) {
        FakeState s = check(state);
        selectCalls++;
        float[][] features = new float[rows.length][];
        int[][] histories = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= s.histories.length) {
                throw new IllegalArgumentException("rows[" + i + "] must be in [0, "
                        + s.histories.length + "), found " + rows[i]);
            }
            features[i] = s.features[rows[i]];
            histories[i] = s.histories[rows[i]];
        }
        return newState(features, histories, s.withAttention);
    }

    @Override
    public void close() {
        closed = true;
    }

    /**
     * Returns how many states handed out are not closed yet.
     *
     * @return the number of open states
     */
    public int openStates() {
        return open.size();
    }

    /**
     * Returns how many states were handed out in total.
     *
     * @return the number of states created
     */
    public int statesCreated() {
        return statesCreated;
    }

    /**
     * Returns the number of rows of every step call so far, in order.
     *
     * @return an unmodifiable copy
     */
    public List<Integer> stepBatchSizes() {
        return List.copyOf(stepBatchSizes);
    }

    /**
     * Returns how many select calls were made.
     *
     * @return the count
     */
    public int selectCalls() {
        return selectCalls;
    }

    /** Forgets the recorded step batch sizes and select count (open states are kept). */
    public void resetCounters() {
        stepBatchSizes.clear();
        selectCalls = 0;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("FakeDecoder is closed");
        }
    }

    private FakeState check(DecoderState state) {
        checkOpen();
        if (!(state instanceof FakeState s) || s.owner != this) {
            throw new IllegalArgumentException("state was not created by this FakeDecoder: " + state);
        }
        if (s.closed) {
            throw new IllegalStateException("state " + s.id + " was used after close()");
        }
        return s;
    }

    private FakeState newState(float[][] features, int[][] histories, boolean withAttention) {
        FakeState s = new FakeState(this, statesCreated++, features, histories, withAttention);
        open.add(s);
        return s;
    }

    private static final class FakeState implements DecoderState {
        final FakeDecoder owner;
        final int id;
        final float[][] features;
        final int[][] histories;
        final boolean withAttention;
        boolean closed;

        FakeState(FakeDecoder owner, int id, float[][] features, int[][] histories, boolean withAttention) {
            this.owner = owner;
            this.id = id;
            this.features = features;
            this.histories = histories;
            this.withAttention = withAttention;
        }

        @Override
        public int batchSize() {
            return histories.length;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                owner.open.remove(this);
            }
        }

        @Override
        public String toString() {
            return "FakeState#" + id + "[rows=" + histories.length + (closed ? ", closed" : "") + "]";
        }
    }
}
