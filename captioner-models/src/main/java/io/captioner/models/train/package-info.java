/**
 * Training on DJL/PyTorch, for any decoder that implements the training contract ({@link
 * io.captioner.models.decoder.DecoderSpec} / {@link io.captioner.models.decoder.TrainableDecoder}).
 *
 * <ul>
 *   <li>{@link io.captioner.models.train.TrainingPipeline}: the one pipeline from tokenized captions
 *       to a saved model (vocabulary, encoded splits, training, test captions and scores, artifact),
 *       configured by where the features come from ({@link io.captioner.models.train.PipelineFeatures}).
 *   <li>{@link io.captioner.models.train.Trainer}: the loop (teacher forcing, masked cross-entropy plus
 *       the decoder's regulariser, Adam with clipping, learning-rate schedule, validation), with
 *       composable {@link io.captioner.models.train.TrainingListener}s for checkpoints and exact
 *       resume, the JSON-lines log, progress, the divergence check and early stopping.
 *   <li>Data: {@link io.captioner.models.train.CaptionData} (features and encoded captions of a split),
 *       {@link io.captioner.models.train.FeatureSource} (cached features or a trainable encoder).
 *   <li>{@link io.captioner.models.train.BleuMetric}: dev BLEU for choosing the best epoch.
 * </ul>
 *
 * <p>Native memory: every batch runs in a sub-manager closed at the end of the batch, so the number
 * of live NDArrays does not grow from epoch to epoch.
 */
package io.captioner.models.train;
