package io.captioner.models.encoder;

/**
 * Options shared by all encoders. {@link #defaults()} gives batch size 8, frozen; change one field
 * with {@link #withBatchSize(int)} or {@link #withTrainable(boolean)}.
 *
 * <p>By default an encoder gives one feature vector per image (its penultimate layer, {@link
 * io.captioner.ImageEncoder#featureShape()} {@code {D}}). With {@link #withSpatialOutput()} it
 * gives its last convolutional map instead, for attention decoders: VGG-16 conv5_3 after ReLU
 * (14 × 14 × 512 on a 224 crop), ResNet-50 layer4 (7 × 7 × 2048), the small CNN its last
 * convolution ({@code S/8 × S/8 × D}); each row holds H·W·D floats, location-major, channels last
 * (see {@link io.captioner.ImageEncoder}). {@link #withSpatialOutput(int)} also adaptive-average-
 * pools the map to a square side, as PyTorch's {@code AdaptiveAvgPool2d} does (ResNet-50's 7 × 7
 * pooled to 14 × 14 copies each location into a 2 × 2 block).
 *
 * @param batchSize images per forward pass (memory grows linearly with it); positive
 * @param trainable whether weights, biases and batch-norm scales/shifts require gradients (for
 *     end-to-end fine-tuning; batch-norm running statistics never do); {@code false} freezes the
 *     encoder so no gradient memory is attached
 * @param spatial whether rows are the last convolutional map (H·W·D floats) instead of the vector
 * @param spatialSize the side the map is adaptive-average-pooled to, or 0 to keep the network's
 *     own H × W; only with {@code spatial}
 */
public record EncoderOptions(int batchSize, boolean trainable, boolean spatial, int spatialSize) {

    private static final EncoderOptions DEFAULTS = new EncoderOptions(8, false);

    /**
     * Validates the options.
     *
     * @param batchSize images per forward pass
     * @param trainable whether learnable parameters require gradients
     * @param spatial whether rows are spatial maps
     * @param spatialSize the pooled side of the map, or 0 for the network's own
     * @throws IllegalArgumentException if {@code batchSize <= 0}, {@code spatialSize < 0}, or a
     *     pooled side is given without spatial output
     */
    public EncoderOptions {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (spatialSize < 0) {
            throw new IllegalArgumentException("spatialSize must be 0 (the network's own map) or positive, got "
                    + spatialSize);
        }
        if (spatialSize > 0 && !spatial) {
            throw new IllegalArgumentException("spatialSize " + spatialSize
                    + " needs spatial output (spatial=true); vectors are not pooled");
        }
    }

    /**
     * Creates options for feature vectors.
     *
     * @param batchSize images per forward pass
     * @param trainable whether learnable parameters require gradients
     * @throws IllegalArgumentException if {@code batchSize <= 0}
     */
    public EncoderOptions(int batchSize, boolean trainable) {
        this(batchSize, trainable, false, 0);
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
        return new EncoderOptions(size, trainable, spatial, spatialSize);
    }

    /**
     * Returns a copy giving the network's last convolutional map at its own size.
     *
     * @return the new options
     */
    public EncoderOptions withSpatialOutput() {
        return new EncoderOptions(batchSize, trainable, true, 0);
    }

    /**
     * Returns a copy giving the last convolutional map adaptive-average-pooled to {@code side} ×
     * {@code side} locations (PyTorch's {@code AdaptiveAvgPool2d((side, side))}).
     *
     * @param side the pooled side, positive
     * @return the new options
     * @throws IllegalArgumentException if {@code side <= 0}
     */
    public EncoderOptions withSpatialOutput(int side) {
        if (side <= 0) {
            throw new IllegalArgumentException("the pooled side must be positive, got " + side);
        }
        return new EncoderOptions(batchSize, trainable, true, side);
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
