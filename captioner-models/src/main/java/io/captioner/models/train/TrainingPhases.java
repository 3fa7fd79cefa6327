package io.captioner.models.train;

import java.util.Locale;

/**
 * Where a {@link Trainer}'s training batches spent their time, summed since training began (the
 * validation after each epoch not included): what {@link TrainingContext#phases()} reports, so that
 * a listener or a benchmark can tell how fast training runs and what limits it. Times are wall-clock
 * seconds on the training thread; PyTorch's CPU operations finish before they return, so each
 * phase holds its own arithmetic.
 *
 * @param batches training batches run
 * @param samples (image, caption) pairs in them
 * @param dataSeconds assembling the batch: padding the captions into token arrays
 * @param featuresSeconds the image features: copied from precomputed rows, or a trainable
 *     encoder's forward pass
 * @param forwardSeconds the decoder's teacher-forced forward pass and the loss
 * @param backwardSeconds back-propagation, up to the loss value on the Java side
 * @param optimizerSeconds gradient clipping and the Adam update
 * @param listenerSeconds the listeners' per-batch work (progress, logs)
 */
public record TrainingPhases(long batches, long samples, double dataSeconds, double featuresSeconds,
        double forwardSeconds, double backwardSeconds, double optimizerSeconds, double listenerSeconds) {

    /** Nothing run yet. */
    public static final TrainingPhases NONE = new TrainingPhases(0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * Returns the total of every phase.
     *
     * @return seconds spent in training batches
     */
    public double totalSeconds() {
        return dataSeconds + featuresSeconds + forwardSeconds + backwardSeconds + optimizerSeconds + listenerSeconds;
    }

    /**
     * Returns the training samples per second over every batch so far.
     *
     * @return samples per second, 0 before the first batch
     */
    public double samplesPerSecond() {
        double t = totalSeconds();
        return t > 0 ? samples / t : 0;
    }

    /** Adds one batch's times, in nanoseconds. */
    TrainingPhases plus(int batchSamples, long data, long features, long forward, long backward, long optimizer,
            long listeners) {
        return new TrainingPhases(batches + 1, samples + batchSamples, dataSeconds + data / 1e9,
                featuresSeconds + features / 1e9, forwardSeconds + forward / 1e9, backwardSeconds + backward / 1e9,
                optimizerSeconds + optimizer / 1e9, listenerSeconds + listeners / 1e9);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TrainingPhases[%d batches, %d samples, %.1f samples/s: data %.2f s,"
                + " features %.2f s, forward %.2f s, backward %.2f s, optimizer %.2f s, listeners %.2f s]", batches,
                samples, samplesPerSecond(), dataSeconds, featuresSeconds, forwardSeconds, backwardSeconds,
                optimizerSeconds, listenerSeconds);
    }
}
