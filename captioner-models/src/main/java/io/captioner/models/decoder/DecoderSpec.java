package io.captioner.models.decoder;

import ai.djl.ndarray.NDManager;

/**
 * A decoder architecture: its type, the sizes it scores and reads, and how to build it with fresh
 * parameters for training. Implementations are immutable value objects (records) that Gson can
 * serialise, so that checkpoints and model artifacts record them exactly.
 */
public interface DecoderSpec {

    /**
     * Returns the decoder type, which says how saved parameters are read back.
     *
     * @return the type
     */
    DecoderType type();

    /**
     * Returns V, the number of token ids the decoder scores.
     *
     * @return the vocabulary size
     */
    int vocabularySize();

    /**
     * Returns the shape of one image's features: {@code {D}} for a pooled vector, {@code {H, W, D}}
     * for a spatial map (location-major, channels last, as {@link io.captioner.ImageEncoder} lays it
     * out).
     *
     * @return a fresh array
     */
    int[] featureShape();

    /**
     * Builds the decoder with freshly initialised parameters. Initialisation draws from the
     * engine's global random generator, so callers seed it first (the trainer does, from its
     * configured seed).
     *
     * @param parameters the manager that will own the parameters; the caller closes it
     * @return the trainable decoder
     */
    TrainableDecoder newTrainable(NDManager parameters);
}
