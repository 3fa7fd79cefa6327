/**
 * The soft-attention decoder of Show, Attend and Tell (Xu et al., 2015) on DJL/PyTorch: its
 * configuration ({@link io.captioner.models.decoder.attention.AttentionDecoderConfig}), the
 * trainable block with teacher forcing and an inference step ({@link
 * io.captioner.models.decoder.attention.ShowAttendTellDecoder}), the doubly stochastic attention
 * regulariser ({@link io.captioner.models.decoder.attention.DoublyStochasticPenalty}) and the
 * step-wise {@link io.captioner.CaptionDecoder} that search algorithms drive, reporting attention
 * weights on request ({@link io.captioner.models.decoder.attention.AttentionCaptionDecoder}).
 *
 * <p>Features are an encoder's spatial map: per image H·W·D floats, location-major, channels last
 * (see {@link io.captioner.ImageEncoder}), seen by the block as {@code [B, L, D]} with L = H·W.
 * Native memory: parameters belong to the decoder's manager; every decoder state owns a child
 * manager and shares a reference-counted image context; each step works in a temporary manager
 * closed before it returns.
 */
package io.captioner.models.decoder.attention;
