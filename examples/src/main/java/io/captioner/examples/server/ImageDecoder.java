package io.captioner.examples.server;

import io.captioner.CaptionerException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

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

    /** Largest image decoded by {@link #imageIo()}: 50 megapixels, more than any camera photo. */
    long DEFAULT_MAX_PIXELS = 50_000_000L;

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
     * Returns a decoder based on the JDK's ImageIO readers (JPEG, PNG, GIF, BMP, plus any plugin
     * on the class path), which reads the image size from the header and refuses images above
     * {@link #DEFAULT_MAX_PIXELS} before decoding any pixel.
     *
     * @return the decoder; thread-safe
     */
    static ImageDecoder imageIo() {
        return ImageDecoder::decodeWithImageIo;
    }

    private static BufferedImage decodeWithImageIo(byte[] bytes, String name) {
        if (bytes.length == 0) {
            throw new CaptionerException(name + ": not an image: the upload is empty");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                StringBuilder head = new StringBuilder();
                for (int i = 0; i < Math.min(8, bytes.length); i++) {
                    head.append(String.format("%02x", bytes[i] & 0xff));
                }
                throw new CaptionerException(name + ": not an image: no JPEG, PNG, GIF or BMP decoder"
                        + " recognises its first bytes (" + head + ")");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > DEFAULT_MAX_PIXELS) {
                    throw new CaptionerException(name + ": image of " + reader.getWidth(0) + "x"
                            + reader.getHeight(0) + " pixels exceeds the limit of " + DEFAULT_MAX_PIXELS
                            + " pixels");
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw new CaptionerException(name + ": corrupt image: the "
                            + reader.getFormatName() + " decoder returned no image");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof CaptionerException ce) {
                throw ce;
            }
            throw new CaptionerException(name + ": corrupt image: " + e.getMessage(), e);
        }
    }
}
