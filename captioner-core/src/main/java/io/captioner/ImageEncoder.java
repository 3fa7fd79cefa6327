package io.captioner;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Turns images into fixed-length feature vectors: the "image" half of the encoder-decoder.
 *
 * <p>For a pretrained CNN the vector is its penultimate layer (VGG-16 fc7 after ReLU: 4096 values;
 * ResNet-50 global average pool: 2048). The encoder applies its own preprocessing (resize, crop,
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
     * Returns D, the length of each feature vector.
     *
     * @return the feature size
     */
    int featureSize();

    /**
     * Encodes a batch of images.
     *
     * @param images B decoded images, any size and colour model
     * @return B rows of D floats: {@code result[i]} is the feature vector of {@code images.get(i)}
     * @throws CaptionerException if an image cannot be preprocessed or the engine fails
     */
    float[][] encode(List<BufferedImage> images);

    /**
     * Encodes one image.
     *
     * @param image a decoded image
     * @return its D-dimensional feature vector
     */
    default float[] encode(BufferedImage image) {
        return encode(List.of(image))[0];
    }

    /** Releases the encoder's native memory; calling it again does nothing. */
    @Override
    void close();
}
