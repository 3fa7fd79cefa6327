package io.captioner.examples.train;

import java.nio.file.Path;
import io.captioner.models.decoder.DecoderType;
import java.util.Locale;

/**
 * Settings of the {@link Quickstart} job. Immutable; build with {@link #builder()}; only the output
 * directory is required. The defaults reach the README figures on two CPU cores.
 *
 * @param outDir where dataset/, training/ and model/ are written (required)
 * @param images images over all splits (80% train, 10% dev, 10% test), at least 10; default 4000
 * @param imageSize side of the generated images in pixels, 64 to 512; default 64
 * @param inputSize side of the CNN input in pixels, a multiple of 8 in [32, 256]; default 64
 * @param seed seeds the dataset, initialisation, shuffling and dropout; default 42
 * @param epochs the most training epochs, at least 1; default 20
 * @param batchImages images per optimiser step (all their captions), at least 1; default 16
 * @param learningRate Adam's learning rate, above 0; default 3e-3
 * @param featureSize D, the CNN feature size, at least 1; default 128
 * @param baseChannels the CNN's first convolution width, at least 1; default 16
 * @param embeddingSize E, the word embedding size, at least 1; default 128
 * @param hiddenSize H, the LSTM size, at least 1; default 256
 * @param dropout training dropout, in [0, 1); default 0.2
 * @param patience early-stopping patience on dev BLEU-4 in epochs; 0 trains all epochs; default 0
 * @param writeDataset whether to write the dataset files to {@code dataset/}; default true
 * @param beamSize the beam width that captions the dev split each epoch (choosing the best
 *     checkpoint) and the test split, and that the saved model uses by default; 1 is greedy search;
 *     default 3
 * @param imageMerge whether the decoder also adds the projected image to the LSTM output at every
 *     step ({@link io.captioner.models.decoder.DecoderConfig#imageMerge()}); LSTM decoder only;
 *     default true
 * @param decoder which decoder to train: {@link DecoderType#SHOW_AND_TELL} (the LSTM fed the pooled
 *     image vector) or {@link DecoderType#SHOW_ATTEND_TELL} (soft attention over the CNN's last
 *     feature map, inputSize/8 square); default show-and-tell
 * @param attentionSize A, the width of the attention's scoring network (attention decoder only), at
 *     least 1; default 128
 * @param attentionPenalty λ, the weight of the doubly stochastic attention regulariser (attention
 *     decoder only), at least 0; default 1
 */
public record QuickstartOptions(
        Path outDir,
        int images,
        int imageSize,
        int inputSize,
        long seed,
        int epochs,
        int batchImages,
        double learningRate,
        int featureSize,
        int baseChannels,
        int embeddingSize,
        int hiddenSize,
        double dropout,
        int patience,
        boolean writeDataset,
        int beamSize,
        boolean imageMerge,
        DecoderType decoder,
        int attentionSize,
        double attentionPenalty) {

    /**
     * Validates every field.
     *
     * @param outDir see the record description
     * @param images see the record description
     * @param imageSize see the record description
     * @param inputSize see the record description
     * @param seed see the record description
     * @param epochs see the record description
     * @param batchImages see the record description
     * @param learningRate see the record description
     * @param featureSize see the record description
     * @param baseChannels see the record description
     * @param embeddingSize see the record description
     * @param hiddenSize see the record description
     * @param dropout see the record description
     * @param patience see the record description
     * @param writeDataset see the record description
     * @param beamSize see the record description
     * @param imageMerge see the record description
     * @param decoder see the record description
     * @param attentionSize see the record description
     * @param attentionPenalty see the record description
     * @throws IllegalArgumentException naming the field, the rule and the value found
     */
    public QuickstartOptions {
        if (outDir == null) {
            throw new IllegalArgumentException("outDir is required: call setOutDir");
        }
        require(images >= 10, "images must be at least 10, found " + images);
        require(imageSize >= 64 && imageSize <= 512, "imageSize must be in [64, 512], found " + imageSize);
        require(inputSize >= 32 && inputSize <= 256 && inputSize % 8 == 0,
                "inputSize must be a multiple of 8 in [32, 256], found " + inputSize);
        require(epochs >= 1, "epochs must be at least 1, found " + epochs);
        require(batchImages >= 1, "batchImages must be at least 1, found " + batchImages);
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be above 0, found " + learningRate);
        require(featureSize >= 1, "featureSize must be at least 1, found " + featureSize);
        require(baseChannels >= 1, "baseChannels must be at least 1, found " + baseChannels);
        require(embeddingSize >= 1, "embeddingSize must be at least 1, found " + embeddingSize);
        require(hiddenSize >= 1, "hiddenSize must be at least 1, found " + hiddenSize);
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), found " + dropout);
        require(patience >= 0, "patience must be 0 (off) or positive, found " + patience);
        require(beamSize >= 1 && beamSize <= 50, "beamSize must be in [1, 50], found " + beamSize);
        if (decoder == null) {
            throw new IllegalArgumentException("decoder must not be null");
        }
        require(attentionSize >= 1, "attentionSize must be at least 1, found " + attentionSize);
        require(attentionPenalty >= 0 && Double.isFinite(attentionPenalty),
                "attentionPenalty must be a finite number of at least 0, found " + attentionPenalty);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Creates a builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "QuickstartOptions{outDir=%s, images=%s, imageSize=%s, inputSize=%s, seed=%s, epochs=%s, batchImages=%s, learningRate=%s, featureSize=%s, baseChannels=%s, embeddingSize=%s, hiddenSize=%s, dropout=%s, patience=%s, writeDataset=%s, beamSize=%s, imageMerge=%s, decoder=%s, attentionSize=%s, attentionPenalty=%s}",
                outDir, images, imageSize, inputSize, seed, epochs, batchImages, learningRate, featureSize, baseChannels, embeddingSize, hiddenSize, dropout, patience, writeDataset, beamSize, imageMerge, decoder.id(), attentionSize, attentionPenalty);
    }

    /** Collects the settings; setters may be called in any order. */
    public static final class Builder {
        private Path outDir;
        private int images = 4000;
        private int imageSize = 64;
        private int inputSize = 64;
        private long seed = 42;
        private int epochs = 20;
        private int batchImages = 16;
        private double learningRate = 3e-3;
        private int featureSize = 128;
        private int baseChannels = 16;
        private int embeddingSize = 128;
        private int hiddenSize = 256;
        private double dropout = 0.2;
        private int patience = 0;
        private boolean writeDataset = true;
        private int beamSize = 3;
        private boolean imageMerge = true;
        private DecoderType decoder = DecoderType.SHOW_AND_TELL;
        private int attentionSize = 128;
        private double attentionPenalty = 1.0;

        private Builder() {}

        /**
         * Sets decoder: which decoder to train (default show-and-tell).
         *
         * @param value {@link DecoderType#SHOW_AND_TELL} or {@link DecoderType#SHOW_ATTEND_TELL}
         * @return this builder
         */
        public Builder optDecoder(DecoderType value) {
            this.decoder = value;
            return this;
        }

        /**
         * Sets attentionPenalty: λ, the weight of the doubly stochastic attention regulariser
         * (default 1).
         *
         * @param value at least 0
         * @return this builder
         */
        public Builder optAttentionPenalty(double value) {
            this.attentionPenalty = value;
            return this;
        }

        /**
         * Sets attentionSize: the width of the attention's scoring network (default 128).
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder optAttentionSize(int value) {
            this.attentionSize = value;
            return this;
        }

        /**
         * Sets outDir: where dataset/, training/ and model/ are written (required).
         *
         * @param value the value
         * @return this builder
         */
        public Builder setOutDir(Path value) {
            this.outDir = value;
            return this;
        }

        /**
         * Sets images: images over all splits (80% train, 10% dev, 10% test), at least 10.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optImages(int value) {
            this.images = value;
            return this;
        }

        /**
         * Sets imageSize: side of the generated images in pixels, 64 to 512.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optImageSize(int value) {
            this.imageSize = value;
            return this;
        }

        /**
         * Sets inputSize: side of the CNN input in pixels, a multiple of 8 in [32, 256].
         *
         * @param value the value
         * @return this builder
         */
        public Builder optInputSize(int value) {
            this.inputSize = value;
            return this;
        }

        /**
         * Sets seed: seeds the dataset, initialisation, shuffling and dropout.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optSeed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Sets epochs: the most training epochs, at least 1.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optEpochs(int value) {
            this.epochs = value;
            return this;
        }

        /**
         * Sets batchImages: images per optimiser step (all their captions), at least 1.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optBatchImages(int value) {
            this.batchImages = value;
            return this;
        }

        /**
         * Sets learningRate: Adam's learning rate, above 0.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optLearningRate(double value) {
            this.learningRate = value;
            return this;
        }

        /**
         * Sets featureSize: D, the CNN feature size, at least 1.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optFeatureSize(int value) {
            this.featureSize = value;
            return this;
        }

        /**
         * Sets baseChannels: the CNN's first convolution width, at least 1.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optBaseChannels(int value) {
            this.baseChannels = value;
            return this;
        }

        /**
         * Sets embeddingSize: E, the word embedding size, at least 1.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optEmbeddingSize(int value) {
            this.embeddingSize = value;
            return this;
        }

        /**
         * Sets hiddenSize: H, the LSTM size, at least 1.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optHiddenSize(int value) {
            this.hiddenSize = value;
            return this;
        }

        /**
         * Sets dropout: training dropout, in [0, 1).
         *
         * @param value the value
         * @return this builder
         */
        public Builder optDropout(double value) {
            this.dropout = value;
            return this;
        }

        /**
         * Sets patience: early-stopping patience on dev BLEU-4 in epochs; 0 trains all epochs.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optPatience(int value) {
            this.patience = value;
            return this;
        }

        /**
         * Sets writeDataset: whether to write the dataset files to {@code dataset/}.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optWriteDataset(boolean value) {
            this.writeDataset = value;
            return this;
        }

        /**
         * Sets beamSize: the beam width for dev and test captions and the saved model (1 = greedy).
         *
         * @param value the value
         * @return this builder
         */
        public Builder optBeamSize(int value) {
            this.beamSize = value;
            return this;
        }

        /**
         * Sets imageMerge: whether the decoder adds the image at its output too (default true).
         *
         * @param value the value
         * @return this builder
         */
        public Builder optImageMerge(boolean value) {
            this.imageMerge = value;
            return this;
        }

        /**
         * Validates and builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if a value is invalid or the output directory is missing
         */
        public QuickstartOptions build() {
            return new QuickstartOptions(outDir, images, imageSize, inputSize, seed, epochs, batchImages, learningRate, featureSize, baseChannels, embeddingSize, hiddenSize, dropout, patience, writeDataset, beamSize, imageMerge, decoder, attentionSize, attentionPenalty);
        }
    }
}
