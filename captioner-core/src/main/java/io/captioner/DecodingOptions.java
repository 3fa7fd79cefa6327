package io.captioner;

import java.util.Locale;

/**
 * How a caption's words are chosen: the search strategy and its limits. Immutable; build with
 * {@link #builder()}.
 *
 * <p>Defaults: greedy search, maximum length 20 tokens, minimum length 1, one caption, no length
 * penalty, {@code <unk>} suppressed, no attention weights. Fields that do not apply to the chosen strategy are ignored
 * (a beam width with greedy search, for example) but still validated.
 *
 * @param strategy greedy, beam search or sampling
 * @param beamSize beam width k (beam search only), at least 1
 * @param nBest how many distinct captions to return (beam search), 1..beamSize
 * @param maxLength the most tokens a caption may have, {@code <end>} not counted
 * @param minLength the fewest tokens before {@code <end>} is allowed
 * @param lengthPenalty how beam scores are normalised by length
 * @param lengthPenaltyAlpha GNMT's α, in [0, 2]; used by {@link LengthPenalty#GNMT}
 * @param temperature sampling temperature, greater than 0
 * @param topK sampling keeps the k most probable tokens; 0 keeps all
 * @param topP sampling keeps the smallest set whose probability reaches p, in (0, 1]
 * @param seed sampling seed, for reproducible captions
 * @param noRepeatNgramSize forbid repeating any n-gram of this size; 0 disables
 * @param noImmediateRepeat forbid a token equal to the one before it
 * @param suppressUnk never emit {@code <unk>}
 * @param attention return each caption's attention weights ({@link Caption#attention()}); only
 *     decoders with attention accept it, and nothing is copied for them when it is off
 */
public record DecodingOptions(
        Strategy strategy,
        int beamSize,
        int nBest,
        int maxLength,
        int minLength,
        LengthPenalty lengthPenalty,
        double lengthPenaltyAlpha,
        double temperature,
        int topK,
        double topP,
        long seed,
        int noRepeatNgramSize,
        boolean noImmediateRepeat,
        boolean suppressUnk,
        boolean attention) {

    /** The search strategy. */
    public enum Strategy {
        /** The most probable token at each step. */
        GREEDY,
        /** Beam search of width {@code beamSize}. */
        BEAM,
        /** Random sampling with temperature, top-k and top-p. */
        SAMPLE
    }

    /** How beam search compares captions of different lengths. */
    public enum LengthPenalty {
        /** Raw total log-probability (favours short captions). */
        NONE,
        /** Total log-probability divided by the number of emitted steps. */
        AVERAGE,
        /** Total log-probability divided by ((5 + length) / 6)^α, as in Google's NMT. */
        GNMT
    }

    /**
     * Validates every field; see the class documentation for the rules.
     *
     * @throws IllegalArgumentException naming the field, the rule and the value found
     */
    public DecodingOptions {
        if (strategy == null) {
            throw new IllegalArgumentException("strategy must not be null");
        }
        if (lengthPenalty == null) {
            throw new IllegalArgumentException("lengthPenalty must not be null");
        }
        require(beamSize >= 1, "beamSize must be at least 1, found " + beamSize);
        require(nBest >= 1 && nBest <= Math.max(1, beamSize),
                "nBest must be between 1 and beamSize (" + beamSize + "), found " + nBest);
        require(maxLength >= 1, "maxLength must be at least 1, found " + maxLength);
        require(minLength >= 0 && minLength <= maxLength,
                "minLength must be between 0 and maxLength (" + maxLength + "), found " + minLength);
        require(lengthPenaltyAlpha >= 0 && lengthPenaltyAlpha <= 2,
                "lengthPenaltyAlpha must be in [0, 2], found " + lengthPenaltyAlpha);
        require(temperature > 0 && Double.isFinite(temperature),
                "temperature must be a finite number above 0, found " + temperature);
        require(topK >= 0, "topK must be 0 (all tokens) or positive, found " + topK);
        require(topP > 0 && topP <= 1, "topP must be in (0, 1], found " + topP);
        require(noRepeatNgramSize >= 0,
                "noRepeatNgramSize must be 0 (off) or positive, found " + noRepeatNgramSize);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Returns the default options: greedy search, at most 20 tokens; the same as
     * {@code builder().build()}.
     *
     * @return the defaults
     */
    public static DecodingOptions defaults() {
        return builder().build();
    }

    /**
     * Returns options for beam search of width k with default limits.
     *
     * @param k the beam width
     * @return the options
     */
    public static DecodingOptions beam(int k) {
        return builder().optBeamSize(k).build();
    }

    /**
     * Creates a builder holding the {@link #defaults()}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder initialised with these options.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.strategy = strategy;
        b.beamSize = beamSize;
        b.nBest = nBest;
        b.maxLength = maxLength;
        b.minLength = minLength;
        b.lengthPenalty = lengthPenalty;
        b.lengthPenaltyAlpha = lengthPenaltyAlpha;
        b.temperature = temperature;
        b.topK = topK;
        b.topP = topP;
        b.seed = seed;
        b.noRepeatNgramSize = noRepeatNgramSize;
        b.noImmediateRepeat = noImmediateRepeat;
        b.suppressUnk = suppressUnk;
        b.attention = attention;
        return b;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(strategy.name().toLowerCase(Locale.ROOT));
        if (strategy == Strategy.BEAM) {
            sb.append(" k=").append(beamSize).append(" nBest=").append(nBest)
                    .append(" lengthPenalty=").append(lengthPenalty);
            if (lengthPenalty == LengthPenalty.GNMT) {
                sb.append("(α=").append(lengthPenaltyAlpha).append(')');
            }
        } else if (strategy == Strategy.SAMPLE) {
            sb.append(" T=").append(temperature).append(" topK=").append(topK)
                    .append(" topP=").append(topP).append(" seed=").append(seed);
        }
        sb.append(" length=").append(minLength).append("..").append(maxLength);
        if (noRepeatNgramSize > 0) {
            sb.append(" noRepeatNgram=").append(noRepeatNgramSize);
        }
        if (noImmediateRepeat) {
            sb.append(" noImmediateRepeat");
        }
        if (!suppressUnk) {
            sb.append(" allowUnk");
        }
        if (attention) {
            sb.append(" attention");
        }
        return "DecodingOptions[" + sb + "]";
    }

    /**
     * Builds {@link DecodingOptions}; every setter is optional and order-independent, and
     * {@link #build()} validates the combination.
     */
    public static final class Builder {
        private Strategy strategy;
        private int beamSize = 1;
        private int nBest = 1;
        private int maxLength = 20;
        private int minLength = 1;
        private LengthPenalty lengthPenalty = LengthPenalty.NONE;
        private double lengthPenaltyAlpha = 0.0;
        private double temperature = 1.0;
        private int topK;
        private double topP = 1.0;
        private long seed;
        private int noRepeatNgramSize;
        private boolean noImmediateRepeat;
        private boolean suppressUnk = true;
        private boolean attention;

        private Builder() {}

        /**
         * Sets the strategy explicitly; without it, a beam size above 1 selects beam search and
         * anything else greedy search.
         *
         * @param value the strategy
         * @return this builder
         */
        public Builder optStrategy(Strategy value) {
            this.strategy = value;
            return this;
        }

        /**
         * Sets the beam width k.
         *
         * @param value k, at least 1
         * @return this builder
         */
        public Builder optBeamSize(int value) {
            this.beamSize = value;
            return this;
        }

        /**
         * Sets how many distinct captions beam search returns.
         *
         * @param value between 1 and the beam width
         * @return this builder
         */
        public Builder optNBest(int value) {
            this.nBest = value;
            return this;
        }

        /**
         * Sets the maximum caption length in tokens ({@code <end>} not counted).
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder optMaxLength(int value) {
            this.maxLength = value;
            return this;
        }

        /**
         * Sets the minimum caption length before {@code <end>} may be emitted.
         *
         * @param value between 0 and the maximum length
         * @return this builder
         */
        public Builder optMinLength(int value) {
            this.minLength = value;
            return this;
        }

        /**
         * Sets the length normalisation of beam scores.
         *
         * @param value the penalty kind
         * @param alpha GNMT's α in [0, 2], ignored for the other kinds
         * @return this builder
         */
        public Builder optLengthPenalty(LengthPenalty value, double alpha) {
            this.lengthPenalty = value;
            this.lengthPenaltyAlpha = alpha;
            return this;
        }

        /**
         * Sets the sampling temperature.
         *
         * @param value above 0; 1 samples from the model's distribution
         * @return this builder
         */
        public Builder optTemperature(double value) {
            this.temperature = value;
            return this;
        }

        /**
         * Sets top-k filtering for sampling.
         *
         * @param value k, or 0 for no filtering
         * @return this builder
         */
        public Builder optTopK(int value) {
            this.topK = value;
            return this;
        }

        /**
         * Sets nucleus (top-p) filtering for sampling.
         *
         * @param value p in (0, 1]; 1 disables it
         * @return this builder
         */
        public Builder optTopP(double value) {
            this.topP = value;
            return this;
        }

        /**
         * Sets the sampling seed.
         *
         * @param value the seed
         * @return this builder
         */
        public Builder optSeed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Forbids repeating any n-gram of the given size within a caption.
         *
         * @param value n, or 0 to allow repeats
         * @return this builder
         */
        public Builder optNoRepeatNgramSize(int value) {
            this.noRepeatNgramSize = value;
            return this;
        }

        /**
         * Forbids a token equal to the token just before it.
         *
         * @param value whether to forbid immediate repeats
         * @return this builder
         */
        public Builder optNoImmediateRepeat(boolean value) {
            this.noImmediateRepeat = value;
            return this;
        }

        /**
         * Sets whether {@code <unk>} may never be emitted.
         *
         * @param value true to suppress {@code <unk>} (the default)
         * @return this builder
         */
        public Builder optSuppressUnk(boolean value) {
            this.suppressUnk = value;
            return this;
        }

        /**
         * Sets whether captions carry their attention weights ({@link Caption#attention()}); asking
         * a decoder without attention for them is an error naming the decoder.
         *
         * @param value true to return attention weights (default false)
         * @return this builder
         */
        public Builder optAttention(boolean value) {
            this.attention = value;
            return this;
        }

        /**
         * Validates and builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException naming the first invalid field and its value
         */
        public DecodingOptions build() {
            Strategy s = strategy != null ? strategy : beamSize > 1 ? Strategy.BEAM : Strategy.GREEDY;
            return new DecodingOptions(s, beamSize, nBest, maxLength, minLength, lengthPenalty,
                    lengthPenaltyAlpha, temperature, topK, topP, seed, noRepeatNgramSize,
                    noImmediateRepeat, suppressUnk, attention);
        }
    }
}
