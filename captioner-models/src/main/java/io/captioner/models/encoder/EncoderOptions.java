package io.captioner.models.encoder;

/**
 * Options shared by all encoders. {@link #defaults()} gives batch size 8, frozen; change one field
 * with {@link #withBatchSize(int)} or {@link #withTrainable(boolean)}.
 *
 * @param batchSize images per forward pass (memory grows linearly with it); positive
 * @param trainable whether weights, biases and batch-norm scales/shifts require gradients (for
 *     end-to-end fine-tuning; batch-norm running statistics never do); {@code false} freezes the
 *     encoder so no gradient memory is attached
 */
public record EncoderOptions(int batchSize, boolean trainable) {

    private static final EncoderOptions DEFAULTS = new EncoderOptions(8, false);

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
     * Returns the default options: batch size 8, frozen.
     *
     * @return the defaults
     */
    public static EncoderOptions defaults() {
        return DEFAULTS;
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

    /**
     * Returns a copy with another trainability.
     *
     * @param value whether learnable parameters require gradients
     * @return the new options
     */
    public EncoderOptions withTrainable(boolean value) {
        return new EncoderOptions(batchSize, value);
    }
}
