package io.captioner.models.decoder;

import ai.djl.ndarray.NDManager;
import java.util.Locale;

/**
 * The shape of a {@link ShowAndTellDecoder}: sizes, depth, dropout and how the image enters the
 * LSTM. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults follow Show and Tell: embedding and hidden size 512, one layer, dropout 0.5, the
 * image as the first LSTM input.
 *
 * @param vocabularySize V, the number of token ids (specials included), at least 5
 * @param featureSize D, the length of the image feature vector, at least 1
 * @param embeddingSize E, the size of word embeddings (and of the projected image in {@link
 *     ImageInjection#FIRST_INPUT} mode), at least 1
 * @param hiddenSize H, the LSTM's hidden and cell size, at least 1
 * @param numLayers L, the number of stacked LSTM layers, at least 1
 * @param dropout the drop probability used while training (after the image projection, after
 *     the embeddings, between LSTM layers and before the output layer), in [0, 1)
 * @param imageInjection how the image enters the LSTM
 * @param imageMerge whether the image also reaches the output layer directly: a linear projection
 *     of the features (size H, with dropout while training) is added to the top LSTM output at
 *     every step before the vocabulary projection (the "merge" architecture). Every word's score
 *     then sees the image, not only what the recurrent state has kept of it since the start, which
 *     helps words that come late in a caption and attribute pairs never seen together in training
 */
public record DecoderConfig(
        int vocabularySize,
        int featureSize,
        int embeddingSize,
        int hiddenSize,
        int numLayers,
        double dropout,
        ImageInjection imageInjection,
        boolean imageMerge) implements DecoderSpec {

    /**
     * Validates every field.
     *
     * @param vocabularySize see the record description
     * @param featureSize see the record description
     * @param embeddingSize see the record description
     * @param hiddenSize see the record description
     * @param numLayers see the record description
     * @param dropout see the record description
     * @param imageInjection see the record description
     * @param imageMerge see the record description
     * @throws IllegalArgumentException naming the field, the rule and the value found
     */
    public DecoderConfig {
        require(vocabularySize >= 5,
                "vocabularySize must be at least 5 (4 specials and one word), found " + vocabularySize);
        require(featureSize >= 1, "featureSize must be at least 1, found " + featureSize);
        require(embeddingSize >= 1, "embeddingSize must be at least 1, found " + embeddingSize);
        require(hiddenSize >= 1, "hiddenSize must be at least 1, found " + hiddenSize);
        require(numLayers >= 1, "numLayers must be at least 1, found " + numLayers);
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), found " + dropout);
        if (imageInjection == null) {
            throw new IllegalArgumentException("imageInjection must not be null");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Returns {@link DecoderType#SHOW_AND_TELL}.
     *
     * @return the type
     */
    @Override
    public DecoderType type() {
        return DecoderType.SHOW_AND_TELL;
    }

    /**
     * Returns {@code [featureSize]}: the decoder reads one pooled vector per image.
     *
     * @return the feature shape
     */
    @Override
    public int[] featureShape() {
        return new int[] {featureSize};
    }

    /**
     * Builds a {@link ShowAndTellDecoder} block and initialises its parameters (Xavier weights,
     * zero biases) from the engine's current random state.
     *
     * @param parameters the manager that owns the parameters
     * @return the decoder in its training form
     */
    @Override
    public TrainableDecoder newTrainable(NDManager parameters) {
        ShowAndTellDecoder block = new ShowAndTellDecoder(this);
        block.initialize(parameters);
        return new ShowAndTellTrainable(block);
    }

    /**
     * Creates a builder; {@code setVocabularySize} and {@code setFeatureSize} are required.
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
        b.featureSize = featureSize;
        b.embeddingSize = embeddingSize;
        b.hiddenSize = hiddenSize;
        b.numLayers = numLayers;
        b.dropout = dropout;
        b.imageInjection = imageInjection;
        b.imageMerge = imageMerge;
        return b;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "DecoderConfig{vocabularySize=%d, featureSize=%d, embeddingSize=%d, hiddenSize=%d,"
                        + " numLayers=%d, dropout=%s, imageInjection=%s, imageMerge=%s}",
                vocabularySize, featureSize, embeddingSize, hiddenSize, numLayers, dropout,
                imageInjection, imageMerge);
    }

    /** Collects the fields of a {@link DecoderConfig}; setters may be called in any order. */
    public static final class Builder {
        private int vocabularySize = -1;
        private int featureSize = -1;
        private int embeddingSize = 512;
        private int hiddenSize = 512;
        private int numLayers = 1;
        private double dropout = 0.5;
        private ImageInjection imageInjection = ImageInjection.FIRST_INPUT;
        private boolean imageMerge;

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
         * Sets D, the image feature size (required).
         *
         * @param featureSize length of each feature vector
         * @return this builder
         */
        public Builder setFeatureSize(int featureSize) {
            this.featureSize = featureSize;
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
         * Sets H, the LSTM hidden size (default 512).
         *
         * @param hiddenSize the size
         * @return this builder
         */
        public Builder optHiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        /**
         * Sets L, the number of stacked LSTM layers (default 1).
         *
         * @param numLayers the depth
         * @return this builder
         */
        public Builder optNumLayers(int numLayers) {
            this.numLayers = numLayers;
            return this;
        }

        /**
         * Sets the training-time drop probability (default 0.5).
         *
         * @param dropout a probability in [0, 1)
         * @return this builder
         */
        public Builder optDropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Sets how the image enters the LSTM (default {@link ImageInjection#FIRST_INPUT}).
         *
         * @param imageInjection the mode
         * @return this builder
         */
        public Builder optImageInjection(ImageInjection imageInjection) {
            this.imageInjection = imageInjection;
            return this;
        }

        /**
         * Sets whether the projected image is also added to the top LSTM output before the
         * vocabulary projection at every step (default false; see {@link DecoderConfig#imageMerge()}).
         *
         * @param imageMerge true to add the image at the output as well
         * @return this builder
         */
        public Builder optImageMerge(boolean imageMerge) {
            this.imageMerge = imageMerge;
            return this;
        }

        /**
         * Validates and builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException if a required field is missing or a value is invalid
         */
        public DecoderConfig build() {
            if (vocabularySize == -1) {
                throw new IllegalArgumentException("vocabularySize is required: call setVocabularySize");
            }
            if (featureSize == -1) {
                throw new IllegalArgumentException("featureSize is required: call setFeatureSize");
            }
            return new DecoderConfig(vocabularySize, featureSize, embeddingSize, hiddenSize,
                    numLayers, dropout, imageInjection, imageMerge);
        }
    }
}
