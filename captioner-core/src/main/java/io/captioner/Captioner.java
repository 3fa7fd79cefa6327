package io.captioner;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes an English sentence for an image: the entry point of the SDK.
 *
 * <p>An implementation wires an {@link ImageEncoder}, a {@link CaptionDecoder}, a vocabulary and
 * {@link DecodingOptions}. It owns native memory, so it must be closed; {@code close()} is
 * idempotent and any call after it throws {@link IllegalStateException}. Implementations document
 * whether one instance may be shared between threads.
 *
 * <p>Unreadable or corrupt images raise {@link CaptionerException} naming the input.
 */
public interface Captioner extends AutoCloseable {

    /**
     * Captions an image file with the captioner's default decoding options.
     *
     * @param image path of a JPEG, PNG, GIF or BMP file
     * @return the caption
     * @throws CaptionerException if the file cannot be read or decoded
     */
    Caption caption(Path image);

    /**
     * Captions an encoded image read from a stream; the stream is read to its end, not closed.
     *
     * @param image the encoded image bytes
     * @return the caption
     * @throws CaptionerException if the bytes are not a supported image
     */
    Caption caption(InputStream image);

    /**
     * Captions a decoded image.
     *
     * @param image the image, any {@link BufferedImage} type
     * @return the caption
     */
    Caption caption(BufferedImage image);

    /**
     * Captions an image with explicit decoding options (beam width, n-best, sampling).
     *
     * @param image the image
     * @param options how to choose the words
     * @return the caption, with {@link Caption#alternatives()} when {@code options.nBest() > 1}
     */
    Caption caption(BufferedImage image, DecodingOptions options);

    /**
     * Captions several decoded images as one batch through the encoder and the decoder.
     *
     * @param images the images
     * @return one caption per image, in the same order
     */
    List<Caption> captionAll(List<BufferedImage> images);

    /**
     * Captions several image files as one batch.
     *
     * @param images the image files
     * @return one caption per file, in the same order
     * @throws CaptionerException naming the first file that cannot be read
     */
    List<Caption> captionFiles(List<Path> images);

    /** Releases the native memory of the encoder and decoder; calling it again does nothing. */
    @Override
    void close();
}
