package io.captioner.data.synthetic;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/** Draws a {@link Scene} with Java2D. Stateless and thread-safe. */
final class SceneRenderer {

    private SceneRenderer() {}

    static BufferedImage render(Scene scene) {
        int n = scene.imageSize();
        BufferedImage image = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        Background bg = scene.background();
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                pixels[y * n + x] = bg.rgbAt(x, y, n);
            }
        }
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            for (PlacedShape s : scene.shapes()) {
                g.setColor(new Color(s.colour().rgb()));
                g.fill(outline(s));
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Returns the outline of a shape, centred on the middle of its centre pixel. */
    static java.awt.Shape outline(PlacedShape s) {
        double cx = s.x() + 0.5;
        double cy = s.y() + 0.5;
        double r = s.radius();
        switch (s.kind()) {
            case CIRCLE:
                return new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
            case SQUARE: {
                double h = 0.8 * r; // slightly smaller than the bounding box, like the other kinds
                return new Rectangle2D.Double(cx - h, cy - h, 2 * h, 2 * h);
            }
            case TRIANGLE: {
                Path2D.Double p = new Path2D.Double();
                p.moveTo(cx, cy - r);
                p.lineTo(cx + 0.866 * r, cy + 0.5 * r);
                p.lineTo(cx - 0.866 * r, cy + 0.5 * r);
                p.closePath();
                return p;
            }
            case CROSS: {
                double arm = 0.34 * r;
                double len = 0.92 * r;
                Path2D.Double p = new Path2D.Double(Path2D.WIND_NON_ZERO);
                p.append(new Rectangle2D.Double(cx - arm, cy - len, 2 * arm, 2 * len), false);
                p.append(new Rectangle2D.Double(cx - len, cy - arm, 2 * len, 2 * arm), false);
                return p;
            }
            case STAR: {
                Path2D.Double p = new Path2D.Double();
                double inner = 0.45 * r;
                for (int k = 0; k < 10; k++) {
                    double radius = k % 2 == 0 ? r : inner;
                    double angle = -Math.PI / 2 + k * Math.PI / 5;
                    double px = cx + radius * Math.cos(angle);
                    double py = cy + radius * Math.sin(angle);
                    if (k == 0) {
                        p.moveTo(px, py);
                    } else {
                        p.lineTo(px, py);
                    }
                }
                p.closePath();
                return p;
            }
            default:
                throw new IllegalStateException("unknown shape kind " + s.kind());
        }
    }
}
