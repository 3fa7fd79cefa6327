package io.captioner.models.train;

/**
 * Hooks into the {@link Trainer}'s loop, in the spirit of DJL's {@code TrainingListener}: the loop
 * runs batches and epochs and calls its listeners, which checkpoint, log, draw progress, check for
 * divergence or stop early. Every method has an empty default, so a listener overrides only what it
 * needs. Listeners are called in the order they were added; an exception a listener throws aborts
 * training (what earlier listeners wrote, such as a checkpoint, stays).
 *
 * <p>Ready-made listeners: {@link CheckpointListener}, {@link TrainingLog}, {@link
 * LoggingListener}, {@link ProgressListener}, {@link DivergenceCheck}, {@link EarlyStopping};
 * {@link TrainingListeners#standard} combines the usual ones.
 */
public interface TrainingListener {

    /**
     * Called once before the first epoch of a run (after a resumed run's state is restored).
     *
     * @param context the run's state
     */
    default void onTrainingBegin(TrainingContext context) {}

    /**
     * Called before an epoch's first batch.
     *
     * @param context the run's state
     * @param epoch the epoch number, from 1
     * @param batches the number of batches the epoch will run
     */
    default void onEpochBegin(TrainingContext context, int epoch, int batches) {}

    /**
     * Called after a training batch's loss and gradients are computed and before the parameters are
     * updated, so a listener can refuse the update by throwing.
     *
     * @param context the run's state
     * @param batch the batch's figures
     */
    default void onTrainingBatch(TrainingContext context, BatchResult batch) {}

    /**
     * Called after an epoch is validated and recorded in {@link TrainingContext#history()}.
     *
     * @param context the run's state
     * @param result the epoch's figures; {@link EpochResult#best()} says whether it improved
     */
    default void onEpochEnd(TrainingContext context, EpochResult result) {}

    /**
     * Called once when the run ends normally (all epochs, or stopped early).
     *
     * @param context the run's state
     * @param result the run's outcome
     */
    default void onTrainingEnd(TrainingContext context, TrainingResult result) {}

    /**
     * Called once when the run ends with an exception (from the engine, the data, or a listener),
     * before it propagates: a listener releases what it holds here. It should not throw.
     *
     * @param context the run's state
     * @param error the exception that ends the run
     */
    default void onTrainingFailed(TrainingContext context, RuntimeException error) {}
}
