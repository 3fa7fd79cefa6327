package io.captioner.examples.server;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;

/** Small real images encoded with ImageIO, for upload tests. */
public final class TestImages {

    private TestImages() {}

    /**
     * Encodes a drawn image of the given size.
     *
     * @param format "png" or "jpg"
     * @param width the width in pixels
     * @param height the height in pixels
     * @return the encoded file
     */
    static byte[] encoded(String format, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(40, 120, 200));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.ORANGE);
        g.fillOval(width / 4, height / 4, Math.max(1, width / 2), Math.max(1, height / 2));
        g.dispose();
        return encode(img, format);
    }

    /**
     * Encodes random noise, which PNG cannot compress: the file is about 3 bytes per pixel.
     *
     * @param width the width in pixels
     * @param height the height in pixels
     * @return the PNG file
     */
    static byte[] noisePng(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return encode(img, "png");
    }

    /**
     * Returns a PNG cut off after its header, which ImageIO recognises but cannot decode.
     *
     * @return the truncated file
     */
    static byte[] truncatedPng() {
        byte[] png = encoded("png", 64, 48);
        return Arrays.copyOf(png, 60);
    }

    /**
     * Encodes an image with ImageIO.
     *
     * @param img the image
     * @param format "png" or "jpg"
     * @return the encoded file
     */
    public static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
