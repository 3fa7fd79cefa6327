package io.captioner.models.decoder;

import ai.djl.ndarray.NDManager;
import java.util.Locale;

/**
 * The shape of a {@link ShowAttendTellDecoder}: vocabulary, feature map, layer sizes, dropout and
 * the attention's activation. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults follow Show, Attend and Tell (Xu et al., 2015) as its best-known public
 * reimplementation sets it: attention, embedding and hidden size 512, dropout 0.5. The attention
 * activation defaults to {@link AttentionActivation#TANH}, the function of the paper's own code and
 * of Bahdanau's additive attention it builds on (the reimplementation uses ReLU; both are offered).
 *
 * @param vocabularySize V, the number of token ids (specials included), at least 5
 * @param mapHeight H, the rows of the encoder's feature map, at least 1
 * @param mapWidth W, the columns of the feature map, at least 1
 * @param featureChannels D, the channels of every map location, at least 1
 * @param attentionSize A, the width of the attention's scoring network, at least 1
 * @param embeddingSize E, the size of word embeddings, at least 1
 * @param hiddenSize the LSTM's hidden and cell size, at least 1
 * @param dropout the drop probability applied to the LSTM output before the vocabulary layer
 *     while training, in [0, 1)
 * @param activation the non-linearity of the attention's scoring network
 * @param attentionPenalty λ, the weight of the doubly stochastic attention regulariser in the
 *     training loss ({@link DoublyStochasticPenalty}), at least 0; training only, like dropout
 * @param deepOutput whether words are scored by the paper's deep output layer over the previous
 *     word, the hidden state and the attended context (eq. 7) rather than from the hidden state
 *     alone; decoders saved before the option existed have none
 * @param wordDropout the probability of dropping a previous word's whole embedding while
 *     training, in [0, 1); training only, like dropout
 */
public record AttentionDecoderConfig(
        int vocabularySize,
        int mapHeight,
        int mapWidth,
        int featureChannels,
        int attentionSize,
        int embeddingSize,
        int hiddenSize,
        double dropout,
        AttentionActivation activation,
        double attentionPenalty,
        boolean deepOutput,
        double wordDropout) implements DecoderSpec {

    /**
     * Validates every field.
     *
     * @param vocabularySize see the record description
     * @param mapHeight see the record description
     * @param mapWidth see the record description
     * @param featureChannels see the record description
     * @param attentionSize see the record description
     * @param embeddingSize see the record description
     * @param hiddenSize see the record description
     * @param dropout see the record description
     * @param activation see the record description
     * @param attentionPenalty see the record description
     * @param deepOutput see the record description
     * @param wordDropout see the record description
     * @throws IllegalArgumentException naming the field, the rule and the value found
     */
    public AttentionDecoderConfig {
        require(vocabularySize >= 5,
                "vocabularySize must be at least 5 (4 specials and one word), found " + vocabularySize);
        require(mapHeight >= 1, "mapHeight must be at least 1, found " + mapHeight);
        require(mapWidth >= 1, "mapWidth must be at least 1, found " + mapWidth);
        require(featureChannels >= 1, "featureChannels must be at least 1, found " + featureChannels);
        require((long) mapHeight * mapWidth * featureChannels <= Integer.MAX_VALUE,
                "mapHeight x mapWidth x featureChannels must fit in an int, found " + mapHeight + " x "
                        + mapWidth + " x " + featureChannels);
        require(attentionSize >= 1, "attentionSize must be at least 1, found " + attentionSize);
        require(embeddingSize >= 1, "embeddingSize must be at least 1, found " + embeddingSize);
        require(hiddenSize >= 1, "hiddenSize must be at least 1, found " + hiddenSize);
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), found " + dropout);
        if (activation == null) {
            throw new IllegalArgumentException("activation must not be null");
        }
        require(attentionPenalty >= 0 && Double.isFinite(attentionPenalty),
                "attentionPenalty must be a finite number of at least 0, found " + attentionPenalty);
        require(wordDropout >= 0 && wordDropout < 1, "wordDropout must be in [0, 1), found " + wordDropout);
    }

    /**
     * Returns {@link DecoderType#SHOW_ATTEND_TELL}.
     *
     * @return the type
     */
    @Override
    public DecoderType type() {
        return DecoderType.SHOW_ATTEND_TELL;
    }

    /**
     * Builds a {@link ShowAttendTellDecoder} block and initialises its parameters from the engine's
     * current random state.
     *
     * @param parameters the manager that owns the parameters
     * @return the decoder in its training form: its regulariser is the doubly stochastic penalty
     *     weighted by {@link #attentionPenalty()}
     */
    @Override
    public TrainableDecoder newTrainable(NDManager parameters) {
        ShowAttendTellDecoder block = new ShowAttendTellDecoder(this);
        block.initialize(parameters);
        return new ShowAttendTellTrainable(block);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Returns L = H·W, the number of map locations the decoder attends over.
     *
     * @return the number of locations
     */
    public int locations() {
        return mapHeight * mapWidth;
    }

    /**
     * Returns the length of one image's feature row, L·D.
     *
     * @return the feature size
     */
    public int featureSize() {
        return locations() * featureChannels;
    }

    /**
     * Returns {@code {H, W, D}}, the {@link io.captioner.CaptionDecoder#featureShape()} of the
     * decoder.
     *
     * @return a fresh array
     */
    @Override
    public int[] featureShape() {
        return new int[] {mapHeight, mapWidth, featureChannels};
    }

    /**
     * Creates a builder; {@code setVocabularySize} and {@code setFeatureShape} are required.
     *
     * @return a new builder holding the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder initialised with this configuration.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.vocabularySize = vocabularySize;
        b.mapHeight = mapHeight;
        b.mapWidth = mapWidth;
        b.featureChannels = featureChannels;
        b.attentionSize = attentionSize;
        b.embeddingSize = embeddingSize;
        b.hiddenSize = hiddenSize;
        b.dropout = dropout;
        b.activation = activation;
        b.attentionPenalty = attentionPenalty;
        b.deepOutput = deepOutput;
        b.wordDropout = wordDropout;
        return b;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "AttentionDecoderConfig{vocabularySize=%d, featureShape=%dx%dx%d, attentionSize=%d,"
                        + " embeddingSize=%d, hiddenSize=%d, dropout=%s, activation=%s, attentionPenalty=%s,"
                        + " deepOutput=%s, wordDropout=%s}",
                vocabularySize, mapHeight, mapWidth, featureChannels, attentionSize, embeddingSize,
                hiddenSize, dropout, activation, attentionPenalty, deepOutput, wordDropout);
    }

    /** Collects the fields of an {@link AttentionDecoderConfig}; setters may be called in any order. */
    public static final class Builder {
        private int vocabularySize = -1;
        private int mapHeight = -1;
        private int mapWidth = -1;
        private int featureChannels = -1;
        private int attentionSize = 512;
        private int embeddingSize = 512;
        private int hiddenSize = 512;
        private double dropout = 0.5;
        private AttentionActivation activation = AttentionActivation.TANH;
        private double attentionPenalty = 1.0;
        private boolean deepOutput = true;
        private double wordDropout = 0;

        private Builder() {}

        /**
         * Sets V, the vocabulary size (required).
         *
         * @param vocabularySize number of token ids, specials included
         * @return this builder
         */
        public Builder setVocabularySize(int vocabularySize) {
            this.vocabularySize = vocabularySize;
            return this;
        }

        /**
         * Sets the feature map's shape (required): the encoder's {@code featureShape()}.
         *
         * @param height H, rows of locations
         * @param width W, columns of locations
         * @param channels D, channels per location
         * @return this builder
         */
        public Builder setFeatureShape(int height, int width, int channels) {
            this.mapHeight = height;
            this.mapWidth = width;
            this.featureChannels = channels;
            return this;
        }

        /**
         * Sets A, the attention's hidden width (default 512).
         *
         * @param attentionSize the size
         * @return this builder
         */
        public Builder optAttentionSize(int attentionSize) {
            this.attentionSize = attentionSize;
            return this;
        }

        /**
         * Sets E, the embedding size (default 512).
         *
         * @param embeddingSize the size
         * @return this builder
         */
        public Builder optEmbeddingSize(int embeddingSize) {
            this.embeddingSize = embeddingSize;
            return this;
        }

        /**
         * Sets the LSTM hidden size (default 512).
         *
         * @param hiddenSize the size
         * @return this builder
         */
        public Builder optHiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        /**
         * Sets the training-time drop probability before the vocabulary layer (default 0.5).
         *
         * @param dropout a probability in [0, 1)
         * @return this builder
         */
        public Builder optDropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Sets the attention's activation (default {@link AttentionActivation#TANH}).
         *
         * @param activation the function
         * @return this builder
         */
        public Builder optActivation(AttentionActivation activation) {
            this.activation = activation;
            return this;
        }

        /**
         * Sets λ, the weight of the doubly stochastic attention regulariser (default 1, as in the
         * paper).
         *
         * @param attentionPenalty at least 0; 0 turns the regulariser off
         * @return this builder
         */
        public Builder optAttentionPenalty(double attentionPenalty) {
            this.attentionPenalty = attentionPenalty;
            return this;
        }

        /**
         * Sets whether words are scored by the paper's deep output layer (default true, as
         * published).
         *
         * @param deepOutput false to score words from the hidden state alone
         * @return this builder
         */
        public Builder optDeepOutput(boolean deepOutput) {
            this.deepOutput = deepOutput;
            return this;
        }

        /**
         * Sets the training-time probability of dropping a previous word's embedding (default 0).
         *
         * @param wordDropout a probability in [0, 1)
         * @return this builder
         */
        public Builder optWordDropout(double wordDropout) {
            this.wordDropout = wordDropout;
            return this;
        }

        /**
         * Validates and builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException if a required field is missing or a value is invalid
         */
        public AttentionDecoderConfig build() {
            if (vocabularySize == -1) {
                throw new IllegalArgumentException("vocabularySize is required: call setVocabularySize");
            }
            if (mapHeight == -1) {
                throw new IllegalArgumentException("the feature shape is required: call setFeatureShape");
            }
            return new AttentionDecoderConfig(vocabularySize, mapHeight, mapWidth, featureChannels,
                    attentionSize, embeddingSize, hiddenSize, dropout, activation, attentionPenalty, deepOutput,
                    wordDropout);
        }
    }
}
