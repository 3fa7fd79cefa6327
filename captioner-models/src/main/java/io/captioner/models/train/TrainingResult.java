package io.captioner.models.train;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@link Trainer#fit} or {@link Trainer#resume}.
 *
 * @param history one result per completed epoch, in order (including epochs of an earlier,
 *     interrupted run that was resumed)
 * @param bestEpoch the epoch (from 1) with the best validation score
 * @param bestScore that score: the metric, or the negated validation loss when there is no metric
 * @param bestDecoder the saved decoder of the best epoch (load with {@link
 *     io.captioner.models.decoder.DecoderType#load}), or null when the trainer had no {@link
 *     CheckpointListener}
 * @param bestEncoder the saved encoder parameters of the best epoch when the encoder trained and a
 *     {@link CheckpointListener} saved them, else null
 * @param stoppedEarly whether a listener (such as {@link EarlyStopping}) stopped training before its last
 *     epoch
 */
public record TrainingResult(List<EpochResult> history, int bestEpoch, double bestScore, Path bestDecoder,
        Path bestEncoder, boolean stoppedEarly) {

    /**
     * Copies the history.
     *
     * @param history see the record description
     * @param bestEpoch see the record description
     * @param bestScore see the record description
     * @param bestDecoder see the record description
     * @param bestEncoder see the record description
     * @param stoppedEarly see the record description
     */
    public TrainingResult {
        history = List.copyOf(history);
    }

    /**
     * Returns the total wall-clock seconds of the recorded epochs.
     *
     * @return the sum of {@link EpochResult#seconds()}
     */
    public double trainSeconds() {
        return history.stream().mapToDouble(EpochResult::seconds).sum();
    }
}
