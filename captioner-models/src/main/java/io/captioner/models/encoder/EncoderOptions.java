package io.captioner.models.encoder;

/**
 * Options shared by all encoders.
 *
 * @param batchSize images per forward pass (memory grows linearly with it); positive
 * @param trainable whether weights, biases and batch-norm scales/shifts require gradients (for
 *     end-to-end fine-tuning; batch-norm running statistics never do); {@code false} freezes the
 *     encoder so no gradient memory is attached
 */
public record EncoderOptions(int batchSize, boolean trainable) {

    /** The defaults: batch size 8, frozen. */
    public static final EncoderOptions DEFAULTS = new EncoderOptions(8, false);

    /**
     * Validates the options.
     *
     * @param batchSize images per forward pass
     * @param trainable whether learnable parameters require gradients
     * @throws IllegalArgumentException if {@code batchSize <= 0}
     */
    public EncoderOptions {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
    }

    /**
     * Returns a copy with another batch size.
     *
     * @param size images per forward pass
     * @return the new options
     */
    public EncoderOptions withBatchSize(int size) {
        return new EncoderOptions(size, trainable);
    }
}
