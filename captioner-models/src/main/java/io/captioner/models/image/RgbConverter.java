package io.captioner.models.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;

/**
 * Converts any decoded {@link BufferedImage} to 8-bit sRGB ({@code TYPE_INT_RGB}).
 *
 * <p>Rules: grey images (8 or 16 bit, with or without alpha) copy the grey level into R, G and B
 * (16-bit levels are scaled by 255/65535 and rounded) — unlike Java2D, which would treat the grey as
 * linear light and brighten it, and like PIL's {@code convert("RGB")} for 8-bit grey; palette,
 * 16-bit RGB and ICC-tagged images go through their colour model to sRGB; images with alpha are
 * composited onto white ({@code c' = round((c·a + 255·(255 − a)) / 255)}), so transparent regions
 * look as they do in a browser (PIL's {@code convert("RGB")} would drop alpha instead). Stateless
 * and thread-safe.
 */
final class RgbConverter {

    private RgbConverter() {}

    /**
     * Converts an image to 8-bit RGB.
     *
     * @param image any decoded image
     * @return {@code image} itself if it already is {@code TYPE_INT_RGB}, else a new image
     */
    public static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = new int[w * h];
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        boolean alpha = cm.hasAlpha();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && raster.getNumBands() <= 2
                && !(cm instanceof java.awt.image.IndexColorModel)) {
            int bits = cm.getComponentSize(0);
            double scale = 255.0 / ((1L << bits) - 1);
            int abits = alpha ? cm.getComponentSize(1) : 0;
            double ascale = alpha ? 255.0 / ((1L << abits) - 1) : 0;
            int[] g = raster.getSamples(0, 0, w, h, 0, new int[w * h]);
            int[] a = alpha ? raster.getSamples(0, 0, w, h, 1, new int[w * h]) : null;
            for (int i = 0; i < g.length; i++) {
                int v = bits == 8 ? g[i] : (int) Math.round(g[i] * scale);
                if (a != null) {
                    v = composite(v, (int) Math.round(a[i] * ascale));
                }
                rgb[i] = (v << 16) | (v << 8) | v;
            }
        } else {
            image.getRGB(0, 0, w, h, rgb, 0, w); // non-premultiplied sRGB ARGB
            if (alpha) {
                for (int i = 0; i < rgb.length; i++) {
                    int p = rgb[i];
                    int a = p >>> 24;
                    rgb[i] = (composite((p >> 16) & 0xFF, a) << 16) | (composite((p >> 8) & 0xFF, a) << 8)
                            | composite(p & 0xFF, a);
                }
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, rgb, 0, w);
        return out;
    }

    private static int composite(int c, int a) {
        return (c * a + 255 * (255 - a) + 127) / 255;
    }
}
