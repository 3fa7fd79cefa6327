package io.captioner;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The image decoding behind {@link Captioner}'s default methods: the JDK's {@link ImageIO}, with
 * errors as {@link CaptionerException}s that name the input. Stateless and thread-safe.
 */
final class ImageReading {

    /** The most bytes read from an {@link InputStream}: 256 MiB. */
    static final int MAX_STREAM_BYTES = 256 << 20;

    private ImageReading() {}

    static BufferedImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CaptionerException(file + ": image file not found");
        }
        try {
            return decode(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new CaptionerException(file + ": cannot read image: " + e.getMessage(), e);
        }
    }

    static BufferedImage decode(byte[] bytes, String label) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new CaptionerException(label + ": corrupt or unreadable image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new CaptionerException(label + ": not a supported image format (" + bytes.length + " bytes)");
        }
        return image;
    }

    static byte[] readAll(InputStream in) {
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_STREAM_BYTES + 1);
        } catch (IOException e) {
            throw new CaptionerException("image stream: cannot read: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_STREAM_BYTES) {
            throw new CaptionerException("image stream: longer than the limit of " + MAX_STREAM_BYTES + " bytes");
        }
        return bytes;
    }
}
