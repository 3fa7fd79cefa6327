package io.captioner.models.image;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;

/**
 * Reads the EXIF orientation tag (0x0112) from JPEG ({@code APP1 "Exif"}) and PNG ({@code eXIf})
 * files and applies it, so that images come out upright as a photo viewer shows them.
 *
 * <p>Values: 1 as stored, 2 mirror horizontally, 3 rotate 180°, 4 mirror vertically, 5 transpose,
 * 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° counter-clockwise. A missing or malformed tag
 * means 1. Stateless and thread-safe.
 */
final class ExifOrientation {

    private ExifOrientation() {}

    /**
     * Finds the EXIF orientation of an encoded image.
     *
     * @param file the encoded JPEG or PNG bytes
     * @return 1 to 8; 1 when absent or unreadable
     */
    public static int read(byte[] file) {
        try {
            if (file.length > 4 && (file[0] & 0xFF) == 0xFF && (file[1] & 0xFF) == 0xD8) {
                return fromJpeg(file);
            }
            if (file.length > 8 && (file[0] & 0xFF) == 0x89 && file[1] == 'P' && file[2] == 'N' && file[3] == 'G') {
                return fromPng(file);
            }
        } catch (IndexOutOfBoundsException e) {
            return 1; // truncated metadata: treat as upright, the decoder reports real corruption
        }
        return 1;
    }

    private static int fromJpeg(byte[] b) {
        int pos = 2;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                return 1;
            }
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0xFF) {
                pos += marker == 0xFF ? 1 : 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return 1; // start of scan: no metadata after this
            }
            int len = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
            int data = pos + 4;
            if (marker == 0xE1 && len >= 8 && new String(b, data, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
                return fromTiff(b, data + 6, Math.min(b.length, pos + 2 + len));
            }
            pos += 2 + len;
        }
        return 1;
    }

    private static int fromPng(byte[] b) {
        int pos = 8;
        while (pos + 8 <= b.length) {
            int len = readInt(b, pos, false);
            String type = new String(b, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (type.equals("eXIf")) {
                return fromTiff(b, pos + 8, pos + 8 + len);
            }
            if (type.equals("IDAT") || type.equals("IEND") || len < 0) {
                return 1;
            }
            pos += 12 + len;
        }
        return 1;
    }

    private static int fromTiff(byte[] b, int tiff, int end) {
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            little = true;
        } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        int ifd = tiff + readInt(b, tiff + 4, little);
        if (ifd < tiff || ifd + 2 > end) {
            return 1;
        }
        int count = readShort(b, ifd, little);
        for (int i = 0; i < count; i++) {
            int entry = ifd + 2 + 12 * i;
            if (entry + 12 > end) {
                return 1;
            }
            if (readShort(b, entry, little) == 0x0112) {
                int value = readShort(b, entry + 8, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int readShort(byte[] b, int p, boolean little) {
        return little ? (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) : ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    private static int readInt(byte[] b, int p, boolean little) {
        return little
                ? (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | ((b[p + 2] & 0xFF) << 16) | ((b[p + 3] & 0xFF) << 24)
                : ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    /**
     * Returns the image turned upright for an orientation value.
     *
     * @param image an RGB image as stored in the file
     * @param orientation the EXIF value 1 to 8 (other values are treated as 1)
     * @return {@code image} itself for 1, else a new {@code TYPE_INT_RGB} image (width and height
     *     swapped for 5 to 8)
     */
    public static BufferedImage apply(BufferedImage image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] in = image.getRGB(0, 0, w, h, null, 0, w);
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        int[] out = new int[in.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; }
                }
                out[y * ow + x] = in[sy * w + sx];
            }
        }
        BufferedImage result = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        result.setRGB(0, 0, ow, oh, out, 0, ow);
        return result;
    }
}
