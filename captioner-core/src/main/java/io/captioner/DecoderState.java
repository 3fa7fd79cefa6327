package io.captioner;

/**
 * The recurrent state of a {@link CaptionDecoder} for a batch of B rows (images × beams).
 *
 * <p>A state may hold native memory (an LSTM's h and c tensors); whoever obtained it from the
 * decoder closes it once it is no longer needed. Closing twice does nothing.
 */
public interface DecoderState extends AutoCloseable {

    /**
     * Returns B, the number of rows this state carries.
     *
     * @return the batch size
     */
    int batchSize();

    /** Releases the state's native memory. */
    @Override
    void close();
}
