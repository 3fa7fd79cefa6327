package io.captioner.models.train;

/**
 * The figures of one training batch, as {@link TrainingListener#onTrainingBatch} sees them.
 *
 * @param epoch the epoch number, from 1
 * @param batch the batch number within the epoch, from 1
 * @param batches the number of batches in the epoch
 * @param learningRate the learning rate of the update that follows
 * @param loss the batch's loss (mean masked cross-entropy per target token, plus the decoder's
 *     regularisation term, if any)
 * @param tokens the number of target tokens in the batch
 * @param epochLoss the token-weighted mean loss of the epoch's batches so far, this one included
 */
public record BatchResult(int epoch, int batch, int batches, double learningRate, double loss, long tokens,
        double epochLoss) {}
