package io.captioner.benchmarks;

import io.captioner.CaptionDecoder;
import io.captioner.DecoderState;

/**
 * Wraps a {@link CaptionDecoder} and counts its {@code step} calls, so a benchmark can prove that
 * every decode does exactly the intended number of steps. Delegates everything else; closing the
 * wrapper does not close the wrapped decoder. Not thread-safe.
 */
public final class CountingDecoder implements CaptionDecoder {

    private final CaptionDecoder delegate;
    private int steps;

    /**
     * Wraps a decoder.
     *
     * @param delegate the decoder that does the work; its owner closes it
     */
    public CountingDecoder(CaptionDecoder delegate) {
        this.delegate = delegate;
    }

    /**
     * Returns the number of {@code step} calls so far.
     *
     * @return the count
     */
    public int steps() {
        return steps;
    }

    @Override
    public int vocabularySize() {
        return delegate.vocabularySize();
    }

    @Override
    public int featureSize() {
        return delegate.featureSize();
    }

    @Override
    public int[] featureShape() {
        return delegate.featureShape();
    }

    @Override
    public boolean hasAttention() {
        return delegate.hasAttention();
    }

    @Override
    public DecoderState start(float[][] features) {
        return delegate.start(features);
    }

    @Override
    public DecoderState start(float[][] features, boolean withAttention) {
        return delegate.start(features, withAttention);
    }

    @Override
    public Step step(DecoderState state, int[] previousTokens) {
        steps++;
        return delegate.step(state, previousTokens);
    }

    @Override
    public DecoderState select(DecoderState state, int[] rows) {
        return delegate.select(state, rows);
    }

    /** Does nothing: the wrapped decoder belongs to the caller. */
    @Override
    public void close() {
        // the delegate is closed by its owner
    }
}
