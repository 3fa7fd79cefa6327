package io.captioner.benchmarks;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Synthetic JPEG inputs of a typical Flickr8k size, made in memory so nothing is downloaded. */
public final class Images {

    private Images() {}

    /**
     * Encodes a 500 x 375 image with smooth gradients and noise (so the JPEG is not trivially
     * small) as JPEG bytes.
     *
     * @param seed varies the content
     * @return the JPEG file's bytes
     */
    public static byte[] jpeg(long seed) {
        int w = 500;
        int h = 375;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (x * 255 / w + random.nextInt(32)) & 0xFF;
                int g = (y * 255 / h + random.nextInt(32)) & 0xFF;
                int b = ((x + y) * 127 / (w + h) + random.nextInt(64)) & 0xFF;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "jpg", out)) {
                throw new IllegalStateException("no JPEG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
