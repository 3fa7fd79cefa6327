package io.captioner.examples.server;

import io.captioner.CaptionerException;
import io.captioner.models.image.ImageLoader;
import java.awt.image.BufferedImage;

/**
 * Turns the bytes of an uploaded file into a decoded image; the server calls it on a worker
 * thread, so implementations must be thread-safe.
 *
 * <p>Any failure (not an image, a corrupt file, too many pixels) must be a
 * {@link CaptionerException} whose message names the upload and the reason: the server answers it
 * with status 400 and that message.
 */
@FunctionalInterface
public interface ImageDecoder {

    /**
     * Decodes an encoded image.
     *
     * @param bytes the uploaded file
     * @param name a label for messages, e.g. the upload's file name
     * @return the decoded image
     * @throws CaptionerException if the bytes are not a readable image
     */
    BufferedImage decode(byte[] bytes, String name);

    /**
     * Returns the SDK's decoder, {@link ImageLoader#standard()}: JPEG (CMYK included), PNG, GIF
     * and BMP, upright by EXIF orientation, as 8-bit RGB, refusing images above
     * {@link ImageLoader#DEFAULT_MAX_PIXELS} before decoding any pixel.
     *
     * @return the decoder; thread-safe
     */
    static ImageDecoder standard() {
        ImageLoader loader = ImageLoader.standard();
        return loader::decode;
    }
}
