package io.captioner.models.image;

import io.captioner.CaptionerException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes image files into upright 8-bit RGB {@link BufferedImage}s ({@code TYPE_INT_RGB}).
 *
 * <p>Steps: the image size is read from the header and images above {@link #maxPixels()} are
 * rejected before any pixel is decoded; the first image of the file is decoded by ImageIO (JPEG
 * including CMYK/YCCK through TwelveMonkeys, PNG, GIF, BMP, WBMP); the EXIF orientation (JPEG APP1
 * or PNG {@code eXIf}) is applied; the colour model is converted with {@link RgbConverter}.
 * Instances are immutable and thread-safe.
 */
public final class ImageLoader {

    /** Default limit: 50 megapixels, larger than any camera photo, small enough to decode in ~200 MB. */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    private final long maxPixels;

    private ImageLoader(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /**
     * Returns a loader with the default pixel limit.
     *
     * @return a loader rejecting images above {@value #DEFAULT_MAX_PIXELS} pixels
     */
    public static ImageLoader standard() {
        return new ImageLoader(DEFAULT_MAX_PIXELS);
    }

    /**
     * Returns a loader with a custom pixel limit.
     *
     * @param maxPixels the largest accepted width × height, positive
     * @return the loader
     * @throws IllegalArgumentException if {@code maxPixels <= 0}
     */
    public static ImageLoader withMaxPixels(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        return new ImageLoader(maxPixels);
    }

    /**
     * Returns the largest accepted width × height.
     *
     * @return the pixel limit
     */
    public long maxPixels() {
        return maxPixels;
    }

    /**
     * Decodes an image file.
     *
     * @param file the image
     * @return an upright {@code TYPE_INT_RGB} image
     * @throws CaptionerException if the file is missing, not a readable image, corrupt or too large
     */
    public BufferedImage load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CaptionerException(file + ": image file not found", e);
        } catch (IOException e) {
            throw new CaptionerException(file + ": cannot read image file: " + e.getMessage(), e);
        }
        return decode(bytes, file.toString());
    }

    /**
     * Decodes an image held in memory.
     *
     * @param bytes the encoded file
     * @param name the file name or other label used in error messages
     * @return an upright {@code TYPE_INT_RGB} image
     * @throws CaptionerException if the bytes are not a readable image, are corrupt or too large
     */
    public BufferedImage decode(byte[] bytes, String name) {
        BufferedImage decoded;
        // The bytes are in memory already: ImageIO's default stream would copy them to a temporary
        // file cache first (ImageIO.getUseCache() is on unless an application turns it off).
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new CaptionerException(name + ": not a supported image format (first bytes "
                        + hex(bytes) + "); supported: " + String.join(", ", ImageIO.getReaderFormatNames()));
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w * h > maxPixels) {
                    throw new CaptionerException(name + ": image of " + w + "x" + h + " = " + (w * h)
                            + " pixels exceeds the limit of " + maxPixels + " pixels");
                }
                decoded = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (CaptionerException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CaptionerException(name + ": corrupt or unsupported image: " + e, e);
        }
        if (decoded == null) {
            throw new CaptionerException(name + ": image reader returned no image");
        }
        BufferedImage rgb = RgbConverter.toRgb(decoded);
        return ExifOrientation.apply(rgb, ExifOrientation.read(bytes));
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.length() == 0 ? "<empty file>" : sb.toString();
    }

    @Override
    public String toString() {
        return "ImageLoader[maxPixels=" + maxPixels + "]";
    }
}
