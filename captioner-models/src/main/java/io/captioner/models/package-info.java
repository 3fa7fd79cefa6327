/**
 * The DJL/PyTorch implementation of the captioner SDK: {@link io.captioner.models.DjlCaptioner}
 * wires an encoder, a decoder, a vocabulary and decoding options; sub-packages hold the encoders,
 * the LSTM decoder, training, image decoding and the saved model artifact.
 */
package io.captioner.models;
