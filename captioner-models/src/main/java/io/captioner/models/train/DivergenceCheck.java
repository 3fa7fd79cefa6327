package io.captioner.models.train;

import io.captioner.CaptionerException;

/**
 * Stops training with a clear error as soon as a batch's loss is not a finite number, before that
 * batch updates the parameters. Stateless.
 */
public final class DivergenceCheck implements TrainingListener {

    /**
     * Throws if the batch diverged.
     *
     * @param context the run's state
     * @param batch the batch
     * @throws CaptionerException naming the epoch, the batch, the loss and the learning rate
     */
    @Override
    public void onTrainingBatch(TrainingContext context, BatchResult batch) {
        if (!Double.isFinite(batch.loss())) {
            throw new CaptionerException("Training diverged: loss is " + batch.loss() + " in epoch "
                    + batch.epoch() + ", batch " + batch.batch() + "; lower the learning rate ("
                    + batch.learningRate() + ") or the clip norm");
        }
    }
}
