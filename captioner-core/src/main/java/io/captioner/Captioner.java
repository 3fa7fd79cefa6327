package io.captioner;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Writes an English sentence for an image: the entry point of the SDK.
 *
 * <p>Every call comes in two forms: with the captioner's {@link #defaultOptions()}, and with
 * explicit {@link DecodingOptions} (beam width, n-best, sampling). Inputs are a decoded
 * {@link BufferedImage}, an image file ({@link Path}), its bytes ({@code byte[]}) or a stream of
 * them ({@link InputStream}), one at a time or as a list.
 *
 * <h2>Implementing it</h2>
 *
 * One method is abstract: {@link #captionAll(List, DecodingOptions)}, which captions a batch of
 * decoded images. Every other method is a default that ends in it, so an implementation that only
 * provides that method gets batching for {@link #captionAll(List)} and {@link #captionFiles} as
 * well. The defaults decode files and bytes with {@link javax.imageio.ImageIO}; implementations
 * with a better decoder (EXIF orientation, CMYK JPEG, a pixel limit) override the
 * {@code Path}/{@code byte[]}/{@code InputStream} forms with options and {@link #captionFiles}.
 * {@link #defaultOptions()} returns {@link DecodingOptions#defaults()} unless overridden, and
 * {@link #close()} does nothing unless overridden.
 *
 * <p>An implementation that owns native memory must be closed; its {@code close()} is idempotent
 * and any call after it throws {@link IllegalStateException}. Implementations document whether
 * one instance may be shared between threads.
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
     * @return a ready captioner whose {@link #defaultOptions()} are the artifact's; the caller
     *     closes it
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
     * Captions several decoded images as one batch with explicit decoding options: the one method
     * an implementation must provide, and the one every other method ends in.
     *
     * @param images the images, any {@link BufferedImage} type; none may be null
     * @param options how to choose the words
     * @return one caption per image, in the same order, each with {@link Caption#alternatives()}
     *     when {@code options.nBest() > 1}; an empty list for no images
     * @throws CaptionerException if an image cannot be preprocessed or the engine fails
     * @throws IllegalStateException if the captioner is closed
     */
    List<Caption> captionAll(List<BufferedImage> images, DecodingOptions options);

    /**
     * Tells whether the model reports where it looked for each word, so that {@link
     * DecodingOptions#attention()} may be asked for.
     *
     * @return true for a model whose decoder has attention; false by default
     */
    default boolean hasAttention() {
        return false;
    }

    /**
     * Returns the picture the model sees when it captions an image: the image after the model's
     * own resize and crop, as 8-bit RGB, before any normalisation. Attention weights ({@link
     * Caption#attention()}) cover exactly this picture, so it is what an attention map is drawn
     * over ({@link io.captioner.visual.AttentionMapRenderer}).
     *
     * <p>The default returns the image itself, which is right for a model that sees the whole image
     * (resizing alone keeps every point where it is relative to the picture); an implementation
     * whose model crops, pads or turns the image overrides it.
     *
     * @param image a decoded image, upright (as {@link #caption(Path)} decodes files)
     * @return the picture the model sees; the caller owns it
     * @throws CaptionerException if the image cannot be preprocessed
     * @throws IllegalStateException if the captioner is closed (implementations that check)
     */
    default BufferedImage modelView(BufferedImage image) {
        return Objects.requireNonNull(image, "image");
    }

    /**
     * Returns the decoding options of the calls that give none: a loaded model's saved options,
     * or {@link DecodingOptions#defaults()} unless an implementation says otherwise. Callers that
     * change one setting start from these ({@code defaultOptions().toBuilder()}).
     *
     * @return the default options
     */
    default DecodingOptions defaultOptions() {
        return DecodingOptions.defaults();
    }

    /**
     * Captions several decoded images as one batch with the {@link #defaultOptions()}.
     *
     * @param images the images
     * @return one caption per image, in the same order
     * @throws CaptionerException if an image cannot be preprocessed or the engine fails
     */
    default List<Caption> captionAll(List<BufferedImage> images) {
        return captionAll(images, defaultOptions());
    }

    /**
     * Captions a decoded image with explicit decoding options.
     *
     * @param image the image, any {@link BufferedImage} type
     * @param options how to choose the words
     * @return the caption, with {@link Caption#alternatives()} when {@code options.nBest() > 1}
     */
    default Caption caption(BufferedImage image, DecodingOptions options) {
        Objects.requireNonNull(image, "image");
        return captionAll(List.of(image), options).get(0);
    }

    /**
     * Captions a decoded image with the {@link #defaultOptions()}.
     *
     * @param image the image, any {@link BufferedImage} type
     * @return the caption
     */
    default Caption caption(BufferedImage image) {
        return caption(image, defaultOptions());
    }

    /**
     * Captions an image file with explicit decoding options.
     *
     * @param image path of a JPEG, PNG, GIF or BMP file
     * @param options how to choose the words
     * @return the caption
     * @throws CaptionerException naming the file if it cannot be read or decoded
     */
    default Caption caption(Path image, DecodingOptions options) {
        return caption(ImageReading.read(image), options);
    }

    /**
     * Captions an image file with the {@link #defaultOptions()}.
     *
     * @param image path of a JPEG, PNG, GIF or BMP file
     * @return the caption
     * @throws CaptionerException naming the file if it cannot be read or decoded
     */
    default Caption caption(Path image) {
        return caption(image, defaultOptions());
    }

    /**
     * Captions an encoded image held in memory (an upload, for example) with explicit decoding
     * options.
     *
     * @param image the encoded image file's bytes
     * @param options how to choose the words
     * @return the caption
     * @throws CaptionerException if the bytes are not a supported image
     */
    default Caption caption(byte[] image, DecodingOptions options) {
        Objects.requireNonNull(image, "image");
        return caption(ImageReading.decode(image, "image bytes (" + image.length + " bytes)"), options);
    }

    /**
     * Captions an encoded image held in memory with the {@link #defaultOptions()}.
     *
     * @param image the encoded image file's bytes
     * @return the caption
     * @throws CaptionerException if the bytes are not a supported image
     */
    default Caption caption(byte[] image) {
        return caption(image, defaultOptions());
    }

    /**
     * Captions an encoded image read from a stream with explicit decoding options; the stream is
     * read to its end (at most 256 MiB), not closed.
     *
     * @param image the encoded image bytes
     * @param options how to choose the words
     * @return the caption
     * @throws CaptionerException if the stream cannot be read, is longer than the limit, or does not
     *     hold a supported image
     */
    default Caption caption(InputStream image, DecodingOptions options) {
        return caption(ImageReading.readAll(image), options);
    }

    /**
     * Captions an encoded image read from a stream with the {@link #defaultOptions()}; the stream
     * is read to its end, not closed.
     *
     * @param image the encoded image bytes
     * @return the caption
     * @throws CaptionerException if the stream cannot be read or does not hold a supported image
     */
    default Caption caption(InputStream image) {
        return caption(image, defaultOptions());
    }

    /**
     * Captions several image files as one batch with explicit decoding options: every file is
     * decoded first, then all go through {@link #captionAll(List, DecodingOptions)} together.
     *
     * @param images the image files
     * @param options how to choose the words
     * @return one caption per file, in the same order
     * @throws CaptionerException naming the first file that cannot be read
     */
    default List<Caption> captionFiles(List<Path> images, DecodingOptions options) {
        List<BufferedImage> decoded = new ArrayList<>(images.size());
        for (Path p : images) {
            decoded.add(ImageReading.read(p));
        }
        return captionAll(decoded, options);
    }

    /**
     * Captions several image files as one batch with the {@link #defaultOptions()}.
     *
     * @param images the image files
     * @return one caption per file, in the same order
     * @throws CaptionerException naming the first file that cannot be read
     */
    default List<Caption> captionFiles(List<Path> images) {
        return captionFiles(images, defaultOptions());
    }

    /**
     * Releases what the captioner holds (the native memory of its encoder and decoder, for a
     * model); calling it again does nothing. The default holds nothing and does nothing.
     */
    @Override
    default void close() {}
}
