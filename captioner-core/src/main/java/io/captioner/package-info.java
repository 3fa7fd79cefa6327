/**
 * The engine-neutral API of captioner: {@link io.captioner.Captioner}, {@link io.captioner.Caption},
 * the {@link io.captioner.ImageEncoder} and {@link io.captioner.CaptionDecoder} contracts that the
 * DJL implementations in {@code captioner-models} fulfil, {@link io.captioner.DecodingOptions} and
 * the project exception {@link io.captioner.CaptionerException}.
 *
 * <p>Nothing in this package depends on DJL or PyTorch.
 */
package io.captioner;
