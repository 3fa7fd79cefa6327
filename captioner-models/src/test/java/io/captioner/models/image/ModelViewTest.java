package io.captioner.models.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The picture the network sees ({@link Preprocessing#modelView}) and where points of an image land in it. */
class ModelViewTest {

    private static final Preprocessing CROPPING = new Preprocessing(64, 56,
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    private static BufferedImage noise(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    /** A black image with a white disc of radius 6 centred on (cx, cy). */
    private static BufferedImage disc(int width, int height, double cx, double cy) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fill(new java.awt.geom.Ellipse2D.Double(cx - 6, cy - 6, 12, 12));
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The centroid of the view's brightness, in continuous pixel coordinates. */
    private static Point2D.Double centroid(BufferedImage view) {
        double sum = 0;
        double sx = 0;
        double sy = 0;
        for (int y = 0; y < view.getHeight(); y++) {
            for (int x = 0; x < view.getWidth(); x++) {
                double v = view.getRGB(x, y) & 0xFF;
                sum += v;
                sx += v * (x + 0.5);
                sy += v * (y + 0.5);
            }
        }
        return new Point2D.Double(sx / sum, sy / sum);
    }

    @Test
    void modelViewIsTheNetworkInputBeforeNormalisation() {
        BufferedImage image = noise(100, 60, 1);
        BufferedImage view = CROPPING.modelView(image);
        float[] tensor = CROPPING.toTensor(image);
        assertThat(view.getWidth()).isEqualTo(56);
        assertThat(view.getHeight()).isEqualTo(56);
        int plane = 56 * 56;
        float[] mean = CROPPING.mean();
        float[] std = CROPPING.std();
        for (int i = 0; i < plane; i++) {
            int rgb = view.getRGB(i % 56, i / 56);
            for (int c = 0; c < 3; c++) {
                int channel = (rgb >> (16 - 8 * c)) & 0xFF;
                assertThat(tensor[c * plane + i] * std[c] + mean[c]).isCloseTo(channel / 255f, within(1e-5f));
            }
        }
    }

    @Test
    void aPointOfAWideImageLandsWhereTheResizeAndCropPutIt() {
        // 300 × 200 → resized to 96 × 64, centre crop 56: a disc at (200, 70) must appear at its mapped point
        BufferedImage image = disc(300, 200, 200, 70);
        Point2D.Double mapped = CROPPING.viewPoint(300, 200, 200, 70);
        assertThat(mapped.x).isCloseTo(200 * 96 / 300.0 - 20, within(1e-9));
        assertThat(mapped.y).isCloseTo(70 * 64 / 200.0 - 4, within(1e-9));
        Point2D.Double drawn = centroid(image);
        Point2D.Double seen = centroid(CROPPING.modelView(image));
        Point2D.Double expected = CROPPING.viewPoint(300, 200, drawn.x, drawn.y);
        assertThat(seen.x).isCloseTo(expected.x, within(0.1));
        assertThat(seen.y).isCloseTo(expected.y, within(0.1));
    }

    @Test
    void aPointOfATallImageLandsWhereTheResizeAndCropPutIt() {
        BufferedImage image = disc(120, 333, 30, 190);
        Point2D.Double drawn = centroid(image); // where Java2D's antialiasing actually put the disc
        Point2D.Double mapped = CROPPING.viewPoint(120, 333, drawn.x, drawn.y);
        Point2D.Double seen = centroid(CROPPING.modelView(image));
        assertThat(seen.x).isCloseTo(mapped.x, within(0.1));
        assertThat(seen.y).isCloseTo(mapped.y, within(0.1));
    }

    @Test
    void aPointTheCropCutsAwayLiesOutsideTheView() {
        Point2D.Double left = CROPPING.viewPoint(300, 200, 10, 100);
        assertThat(left.x).isNegative();
        Point2D.Double right = CROPPING.viewPoint(300, 200, 295, 100);
        assertThat(right.x).isGreaterThan(56);
    }

    @Test
    void viewPointRefusesAnEmptyImage() {
        assertThatThrownBy(() -> CROPPING.viewPoint(0, 10, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image size must be at least 1 x 1, found 0 x 10");
    }
}
