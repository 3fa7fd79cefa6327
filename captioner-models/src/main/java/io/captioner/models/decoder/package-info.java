/**
 * Decoders on DJL/PyTorch and the contract that lets one trainer train any of them: a {@link
 * io.captioner.models.decoder.DecoderSpec} (an architecture, by {@link
 * io.captioner.models.decoder.DecoderType}) builds a {@link
 * io.captioner.models.decoder.TrainableDecoder} (teacher-forced forward, parameters, an inference
 * view, its own parameter file).
 *
 * <p>The Show-and-Tell LSTM decoder: its configuration ({@link
 * io.captioner.models.decoder.DecoderConfig}), the trainable block ({@link
 * io.captioner.models.decoder.ShowAndTellDecoder}) and the step-wise {@link
 * io.captioner.CaptionDecoder} that search algorithms drive ({@link
 * io.captioner.models.decoder.LstmCaptionDecoder}).
 *
 * <p>One set of parameters serves both teacher-forced training over whole captions and one-token-
 * at-a-time decoding. Native memory: parameters belong to the decoder's manager; every decoder
 * state owns a child manager; each step works in a temporary manager closed before it returns.
 * Inference steps under 256 rows run on a copy of the parameters laid out for them (token-gate
 * table, contiguous transposed weights), owned by the decoder and rebuilt when the block's
 * parameter version moves on; training always reads the block's own parameters. Steps of 2 to 64
 * rows may run one of their two matrix products on a small JVM-wide pool of daemon helper threads
 * ({@code StepHelpers}), used only when a helper is idle.
 *
 * <p>How inference steps compute ({@link io.captioner.models.decoder.InferenceSettings}, fixed per
 * decoder): the {@link io.captioner.models.decoder.Precision} of the weights a step reads (float32,
 * bfloat16 or int8 with per-output scales; parameter files stay float32) and the {@link
 * io.captioner.models.decoder.StepKernel} of steps of few rows: PyTorch, or Java kernels over
 * panel-packed weights (the Vector API when the JVM has {@code jdk.incubator.vector}, plain loops
 * otherwise) that keep the state in Java arrays. Every kernel computes the same model.
 */
package io.captioner.models.decoder;
