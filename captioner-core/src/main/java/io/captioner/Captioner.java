package io.captioner;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Writes an English sentence for an image: the entry point of the SDK.
 *
 * <p>An implementation wires an {@link ImageEncoder}, a {@link CaptionDecoder}, a vocabulary and
 * {@link DecodingOptions}. It owns native memory, so it must be closed; {@code close()} is
 * idempotent and any call after it throws {@link IllegalStateException}. Implementations document
 * whether one instance may be shared between threads.
 *
 * <p>Unreadable or corrupt images raise {@link CaptionerException} naming the input.
 *
 * <p>{@link #load(Path)} opens a saved model artifact through whichever {@link CaptionerProvider}
 * is on the class path (captioner-models registers one), so this module stays engine-neutral.
 */
public interface Captioner extends AutoCloseable {

    /**
     * Opens a saved model artifact (a directory or a {@code .zip} with a {@code manifest.json}) with
     * the first {@link CaptionerProvider} found by {@link ServiceLoader} that accepts it.
     *
     * @param artifact the artifact directory or zip file
     * @return a ready captioner; the caller closes it
     * @throws CaptionerException if no provider is on the class path, none accepts the path, or the
     *     artifact is missing, corrupt or incompatible (the message names the file and the problem)
     */
    static Captioner load(Path artifact) {
        List<String> seen = new ArrayList<>();
        for (CaptionerProvider provider : ServiceLoader.load(CaptionerProvider.class)) {
            seen.add(provider.name());
            if (provider.accepts(artifact)) {
                return provider.load(artifact);
            }
        }
        if (seen.isEmpty()) {
            throw new CaptionerException(artifact + ": no captioner implementation on the class path"
                    + " (add the captioner-models module)");
        }
        throw new CaptionerException(artifact + ": not a model artifact any provider accepts (providers "
                + seen + "; expected a directory or .zip holding manifest.json)");
    }

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
     * Captions an encoded image held in memory (an upload, for example).
     *
     * @param image the encoded image file's bytes
     * @return the caption
     * @throws CaptionerException if the bytes are not a supported image
     */
    default Caption caption(byte[] image) {
        return caption(new ByteArrayInputStream(image));
    }

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
     * Captions several decoded images as one batch with explicit decoding options.
     *
     * @param images the images
     * @param options how to choose the words
     * @return one caption per image, in the same order
     */
    default List<Caption> captionAll(List<BufferedImage> images, DecodingOptions options) {
        List<Caption> out = new ArrayList<>(images.size());
        for (BufferedImage image : images) {
            out.add(caption(image, options));
        }
        return out;
    }

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
