/**
 * Training of the Show-and-Tell decoder (and optionally a trainable image encoder) on DJL/PyTorch:
 * configuration ({@link io.captioner.models.train.TrainingConfig}), data ({@link
 * io.captioner.models.train.CaptionData}, {@link io.captioner.models.train.FeatureSource}), the
 * masked loss, an Adam optimiser whose state is checkpointed, the epoch loop with validation, early
 * stopping, best-checkpoint keeping and exact resume ({@link io.captioner.models.train.Trainer}),
 * a console progress bar, dev BLEU for early stopping ({@link
 * io.captioner.models.train.BleuMetric}), and the end-to-end {@link
 * io.captioner.models.train.Quickstart} job on the synthetic dataset.
 *
 * <p>Native memory: every batch runs in a sub-manager closed at the end of the batch, so the number
 * of live NDArrays does not grow from epoch to epoch.
 */
package io.captioner.models.train;
