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
 */
package io.captioner.models.decoder;
