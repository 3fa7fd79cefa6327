package io.captioner.models.train;

/** How the learning rate changes from epoch to epoch; the rate is constant within an epoch. */
public enum LearningRateSchedule {
    /** The base rate throughout. */
    CONSTANT,
    /** The base rate times {@code stepGamma^(epoch / stepEpochs)} (integer division). */
    STEP,
    /** Cosine annealing from the base rate (first epoch) towards {@code minLearningRate}. */
    COSINE
}
