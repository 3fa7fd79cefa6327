package io.captioner.models.train;

import java.util.Locale;

/**
 * How the decoder is trained: epochs, batches, Adam, clipping, schedule, shuffling seed, early
 * stopping and caption length. Immutable; build with {@link #builder()}. The dropout rate is part
 * of the architecture ({@link io.captioner.models.decoder.DecoderConfig#dropout()}).
 *
 * @param epochs the most epochs to run, at least 1
 * @param batchSize (image, caption) pairs per optimiser step, or images per step with {@code
 *     groupByImage}, at least 1
 * @param learningRate Adam's base step size, greater than 0
 * @param beta1 Adam's first-moment decay, in [0, 1)
 * @param beta2 Adam's second-moment decay, in [0, 1)
 * @param epsilon Adam's denominator guard, greater than 0
 * @param gradientClipNorm the largest global L2 norm of all gradients; larger ones are scaled down
 *     to it; 0 disables clipping
 * @param schedule how the learning rate changes per epoch
 * @param stepEpochs for {@link LearningRateSchedule#STEP}: epochs between decays, at least 1
 * @param stepGamma for {@link LearningRateSchedule#STEP}: the decay factor, in (0, 1]
 * @param minLearningRate for {@link LearningRateSchedule#COSINE}: the floor, in [0, learningRate]
 * @param seed seeds parameter initialisation, shuffling and dropout
 * @param patience stop after this many epochs without a better validation score; 0 never stops early
 * @param maxCaptionLength longer captions are cut to this many words ({@code <end>} not counted), at
 *     least 1
 * @param groupByImage if true, epochs shuffle images and a batch holds all captions of {@code
 *     batchSize} images, so each image's features are computed once per batch (much cheaper with a
 *     trainable encoder); if false, (image, caption) pairs are shuffled and batched individually
 */
public record TrainingConfig(
        int epochs,
        int batchSize,
        double learningRate,
        double beta1,
        double beta2,
        double epsilon,
        double gradientClipNorm,
        LearningRateSchedule schedule,
        int stepEpochs,
        double stepGamma,
        double minLearningRate,
        long seed,
        int patience,
        int maxCaptionLength,
        boolean groupByImage) {

    /**
     * Validates every field.
     *
     * @param epochs see the record description
     * @param batchSize see the record description
     * @param learningRate see the record description
     * @param beta1 see the record description
     * @param beta2 see the record description
     * @param epsilon see the record description
     * @param gradientClipNorm see the record description
     * @param schedule see the record description
     * @param stepEpochs see the record description
     * @param stepGamma see the record description
     * @param minLearningRate see the record description
     * @param seed see the record description
     * @param patience see the record description
     * @param maxCaptionLength see the record description
     * @param groupByImage see the record description
     * @throws IllegalArgumentException naming the field, the rule and the value found
     */
    public TrainingConfig {
        require(epochs >= 1, "epochs must be at least 1, found " + epochs);
        require(batchSize >= 1, "batchSize must be at least 1, found " + batchSize);
        require(learningRate > 0 && Double.isFinite(learningRate),
                "learningRate must be a finite number above 0, found " + learningRate);
        require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), found " + beta1);
        require(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), found " + beta2);
        require(epsilon > 0, "epsilon must be above 0, found " + epsilon);
        require(gradientClipNorm >= 0 && Double.isFinite(gradientClipNorm),
                "gradientClipNorm must be 0 (off) or a finite positive number, found " + gradientClipNorm);
        if (schedule == null) {
            throw new IllegalArgumentException("schedule must not be null");
        }
        require(stepEpochs >= 1, "stepEpochs must be at least 1, found " + stepEpochs);
        require(stepGamma > 0 && stepGamma <= 1, "stepGamma must be in (0, 1], found " + stepGamma);
        require(minLearningRate >= 0 && minLearningRate <= learningRate,
                "minLearningRate must be in [0, learningRate=" + learningRate + "], found " + minLearningRate);
        require(patience >= 0, "patience must be 0 (off) or positive, found " + patience);
        require(maxCaptionLength >= 1, "maxCaptionLength must be at least 1, found " + maxCaptionLength);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Returns the learning rate of an epoch under this schedule.
     *
     * @param epoch the epoch, counted from 0
     * @return the learning rate for every step of that epoch
     */
    public double learningRateAt(int epoch) {
        return switch (schedule) {
            case CONSTANT -> learningRate;
            case STEP -> learningRate * Math.pow(stepGamma, epoch / stepEpochs);
            case COSINE -> minLearningRate
                    + 0.5 * (learningRate - minLearningRate) * (1 + Math.cos(Math.PI * epoch / epochs));
        };
    }

    /**
     * Creates a builder holding the defaults: 20 epochs, batch 64, Adam (lr 0.001, betas 0.9 and
     * 0.999, epsilon 1e-8), clip norm 5, constant rate, seed 42, patience 3, captions of at most 20
     * words, batches of pairs.
     *
     * @return a new builder
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
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.epsilon = epsilon;
        b.gradientClipNorm = gradientClipNorm;
        b.schedule = schedule;
        b.stepEpochs = stepEpochs;
        b.stepGamma = stepGamma;
        b.minLearningRate = minLearningRate;
        b.seed = seed;
        b.patience = patience;
        b.maxCaptionLength = maxCaptionLength;
        b.groupByImage = groupByImage;
        return b;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "TrainingConfig{epochs=%d, batchSize=%d, learningRate=%s, beta1=%s, beta2=%s, epsilon=%s,"
                        + " gradientClipNorm=%s, schedule=%s, stepEpochs=%d, stepGamma=%s, minLearningRate=%s,"
                        + " seed=%d, patience=%d, maxCaptionLength=%d, groupByImage=%s}",
                epochs, batchSize, learningRate, beta1, beta2, epsilon, gradientClipNorm, schedule,
                stepEpochs, stepGamma, minLearningRate, seed, patience, maxCaptionLength, groupByImage);
    }

    /** Collects the fields of a {@link TrainingConfig}; all are optional, in any order. */
    public static final class Builder {
        private int epochs = 20;
        private int batchSize = 64;
        private double learningRate = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double gradientClipNorm = 5.0;
        private LearningRateSchedule schedule = LearningRateSchedule.CONSTANT;
        private int stepEpochs = 5;
        private double stepGamma = 0.5;
        private double minLearningRate = 0;
        private long seed = 42;
        private int patience = 3;
        private int maxCaptionLength = 20;
        private boolean groupByImage;

        private Builder() {}

        /**
         * Sets the most epochs to run.
         *
         * @param epochs at least 1
         * @return this builder
         */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /**
         * Sets the number of (image, caption) pairs per step.
         *
         * @param batchSize at least 1
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets Adam's base learning rate.
         *
         * @param learningRate above 0
         * @return this builder
         */
        public Builder optLearningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets Adam's moment decays.
         *
         * @param beta1 first-moment decay in [0, 1)
         * @param beta2 second-moment decay in [0, 1)
         * @return this builder
         */
        public Builder optBetas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets Adam's epsilon.
         *
         * @param epsilon above 0
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Sets the global gradient-norm clip.
         *
         * @param gradientClipNorm 0 disables clipping
         * @return this builder
         */
        public Builder optGradientClipNorm(double gradientClipNorm) {
            this.gradientClipNorm = gradientClipNorm;
            return this;
        }

        /**
         * Sets the learning-rate schedule.
         *
         * @param schedule the schedule
         * @return this builder
         */
        public Builder optSchedule(LearningRateSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * Sets the step schedule's period and factor.
         *
         * @param stepEpochs epochs between decays
         * @param stepGamma decay factor
         * @return this builder
         */
        public Builder optStep(int stepEpochs, double stepGamma) {
            this.stepEpochs = stepEpochs;
            this.stepGamma = stepGamma;
            return this;
        }

        /**
         * Sets the cosine schedule's floor.
         *
         * @param minLearningRate in [0, learningRate]
         * @return this builder
         */
        public Builder optMinLearningRate(double minLearningRate) {
            this.minLearningRate = minLearningRate;
            return this;
        }

        /**
         * Sets the seed of initialisation, shuffling and dropout.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the early-stopping patience.
         *
         * @param patience epochs without improvement before stopping; 0 never stops early
         * @return this builder
         */
        public Builder optPatience(int patience) {
            this.patience = patience;
            return this;
        }

        /**
         * Sets the longest caption used in training.
         *
         * @param maxCaptionLength words kept per caption
         * @return this builder
         */
        public Builder optMaxCaptionLength(int maxCaptionLength) {
            this.maxCaptionLength = maxCaptionLength;
            return this;
        }

        /**
         * Sets whether batches are formed from whole images (all their captions) rather than from
         * individual (image, caption) pairs; default false.
         *
         * @param groupByImage true to batch by image
         * @return this builder
         */
        public Builder optGroupByImage(boolean groupByImage) {
            this.groupByImage = groupByImage;
            return this;
        }

        /**
         * Validates and builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException if a value is invalid
         */
        public TrainingConfig build() {
            return new TrainingConfig(epochs, batchSize, learningRate, beta1, beta2, epsilon,
                    gradientClipNorm, schedule, stepEpochs, stepGamma, minLearningRate, seed, patience,
                    maxCaptionLength, groupByImage);
        }
    }
}
