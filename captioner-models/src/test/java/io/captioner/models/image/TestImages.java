package io.captioner.models.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Synthetic test images: smooth gradients plus seeded noise, so resampling has work to do. */
public final class TestImages {

    private TestImages() {}

    /** A {@code TYPE_INT_RGB} image with gradients, stripes and noise. */
    public static BufferedImage rgb(int w, int h, long seed) {
        Random random = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = clamp(255.0 * x / w + random.nextGaussian() * 20);
                int g = clamp(255.0 * y / h + random.nextGaussian() * 20);
                int b = ((x / 7 + y / 5) % 2) * 200 + random.nextInt(56);
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    /** An 8-bit grey image with a gradient and noise. */
    public static BufferedImage gray(int w, int h, long seed) {
        Random random = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, clamp(255.0 * (x + y) / (w + h) + random.nextGaussian() * 30));
            }
        }
        return img;
    }

    /** Writes an image as PNG and returns the path. */
    public static Path png(BufferedImage img, Path file) throws IOException {
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
        return file;
    }

    static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
