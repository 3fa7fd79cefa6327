package io.captioner;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Turns images into fixed-length feature rows: the "image" half of the encoder-decoder.
 *
 * <p>For a pretrained CNN the row is either its penultimate vector (VGG-16 fc7 after ReLU: 4096
 * values; ResNet-50 global average pool: 2048), {@link #featureShape()} {@code {D}}, or, for an
 * encoder configured for spatial output (attention decoders), its last convolutional map of H × W
 * locations with D channels each, {@link #featureShape()} {@code {H, W, D}}, flattened into one row
 * of H·W·D floats <em>location-major, channels last</em>: the D channels of location (y, x) are at
 * {@code row[(y * W + x) * D + c]}, i.e. the row is a {@code [H*W, D]} matrix whose row index is
 * {@code y * W + x}, y counting from the top of the (preprocessed) image and x from its left. The
 * encoder applies its own preprocessing (resize, crop,
 * normalisation), so callers pass decoded images of any size and type. An encoder owns native
 * memory: close it when done. Implementations say whether {@link #encode(List)} may be called from
 * several threads at once.
 */
public interface ImageEncoder extends AutoCloseable {

    /**
     * Returns a stable identifier of the architecture, such as {@code "resnet50"}, {@code "vgg16"}
     * or {@code "small-cnn"}.
     *
     * @return the architecture name
     */
    String name();

    /**
     * Returns the length of each feature row: D for a vector, H·W·D for a spatial map.
     *
     * @return the feature size, the product of {@link #featureShape()}
     */
    int featureSize();

    /**
     * Returns the shape of each feature row: {@code {D}} for a vector (the default), {@code {H, W,
     * D}} for a spatial map laid out location-major, channels last (see the class documentation).
     * A decoder can only consume the rows of an encoder whose shape equals its own {@link
     * CaptionDecoder#featureShape()}.
     *
     * @return a fresh array whose product is {@link #featureSize()}
     */
    default int[] featureShape() {
        return new int[] {featureSize()};
    }

    /**
     * Encodes a batch of images.
     *
     * @param images B decoded images, any size and colour model
     * @return B rows of {@link #featureSize()} floats: {@code result[i]} is the feature row of
     *     {@code images.get(i)}, laid out as {@link #featureShape()} says
     * @throws CaptionerException if an image cannot be preprocessed or the engine fails
     */
    float[][] encode(List<BufferedImage> images);

    /**
     * Encodes one image.
     *
     * @param image a decoded image
     * @return its feature row of {@link #featureSize()} floats
     */
    default float[] encode(BufferedImage image) {
        return encode(List.of(image))[0];
    }

    /** Releases the encoder's native memory; calling it again does nothing. */
    @Override
    void close();
}
