package io.captioner.models.train;

import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.captioner.models.decoder.DecoderSpec;
import io.captioner.models.decoder.TrainableDecoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The state of one {@link Trainer} run as its {@link TrainingListener}s see it: the configuration,
 * the decoder being trained, the history of finished epochs and the best score so far. Listeners
 * may read it and ask the run to stop; the loop owns everything else. Not thread-safe: used on the
 * training thread only.
 */
public final class TrainingContext {

    private final TrainingConfig config;
    private final TrainableDecoder decoder;
    private final PairList<String, Parameter> encoderParameters;
    private final PairList<String, Parameter> allParameters;
    private final AdamOptimizer optimizer;
    private final String metricName;
    private final List<EpochResult> history = new ArrayList<>();
    private double bestScore = Double.NEGATIVE_INFINITY;
    private int bestEpoch;
    private boolean stopRequested;
    private TrainingPhases phases = TrainingPhases.NONE;

    TrainingContext(TrainingConfig config, TrainableDecoder decoder, PairList<String, Parameter> encoderParameters,
            PairList<String, Parameter> allParameters, AdamOptimizer optimizer, String metricName) {
        this.config = config;
        this.decoder = decoder;
        this.encoderParameters = encoderParameters;
        this.allParameters = allParameters;
        this.optimizer = optimizer;
        this.metricName = metricName;
    }

    /**
     * Returns the training configuration.
     *
     * @return the configuration
     */
    public TrainingConfig config() {
        return config;
    }

    /**
     * Returns the architecture being trained.
     *
     * @return the decoder's spec
     */
    public DecoderSpec decoderSpec() {
        return decoder.spec();
    }

    /**
     * Returns the decoder being trained; its parameters are live.
     *
     * @return the decoder
     */
    public TrainableDecoder decoder() {
        return decoder;
    }

    /**
     * Returns the parameters of an encoder that trains with the decoder (end to end), by name;
     * empty when the features are fixed.
     *
     * @return the encoder's parameters, live
     */
    public PairList<String, Parameter> encoderParameters() {
        return encoderParameters;
    }

    /**
     * Tells whether an encoder trains with the decoder.
     *
     * @return true for end-to-end training
     */
    public boolean encoderTrains() {
        return !encoderParameters.isEmpty();
    }

    /**
     * Returns the name of the score that decides the best epoch: the validation metric's, or
     * {@code "val_loss"}.
     *
     * @return the name
     */
    public String metricName() {
        return metricName;
    }

    /**
     * Returns the finished epochs, oldest first (a resumed run includes those before the resume).
     *
     * @return an unmodifiable view
     */
    public List<EpochResult> history() {
        return Collections.unmodifiableList(history);
    }

    /**
     * Returns the number of finished epochs.
     *
     * @return the count
     */
    public int completedEpochs() {
        return history.size();
    }

    /**
     * Returns the epoch (from 1) with the best validation score so far, or 0 before the first.
     *
     * @return the best epoch
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /**
     * Returns the best validation score so far (the metric, or the negated validation loss).
     *
     * @return the score, negative infinity before the first epoch
     */
    public double bestScore() {
        return bestScore;
    }

    /**
     * Returns the number of epochs since the best one (0 right after an improvement).
     *
     * @return the count
     */
    public int epochsSinceImprovement() {
        return history.size() - bestEpoch;
    }

    /**
     * Returns where the training batches of this run spent their time so far, by phase (the
     * batches of a resumed run count from the resume).
     *
     * @return the sums since training began
     */
    public TrainingPhases phases() {
        return phases;
    }

    /** Adds one training batch's phase times, in nanoseconds. */
    void recordBatch(int samples, long data, long features, long forward, long backward, long optimizer,
            long listeners) {
        phases = phases.plus(samples, data, features, forward, backward, optimizer, listeners);
    }

    /** Asks the run to stop after the current epoch's listeners have run. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Tells whether a listener asked the run to stop.
     *
     * @return true once {@link #requestStop()} was called
     */
    public boolean stopRequested() {
        return stopRequested;
    }

    PairList<String, Parameter> allParameters() {
        return allParameters;
    }

    AdamOptimizer optimizer() {
        return optimizer;
    }

    void record(EpochResult result, double score) {
        if (result.best()) {
            bestScore = score;
            bestEpoch = result.epoch();
        }
        history.add(result);
    }

    void restore(List<EpochResult> epochs, int best, double score) {
        history.clear();
        history.addAll(epochs);
        bestEpoch = best;
        bestScore = score;
    }
}
