package io.captioner.examples.attention;

import io.captioner.AttentionWeights;
import io.captioner.Caption;
import io.captioner.Captioner;
import io.captioner.DecodingOptions;
import io.captioner.models.image.Preprocessing;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in model whose attention is known to follow the shape: it sees what a real model sees
 * ({@link Preprocessing#modelView}), and every word attends to the cells of an 8 × 8 map in
 * proportion to how colourful they are (the synthetic backgrounds are grey; the shapes are not).
 * With {@code mirrored} it looks at the left-right mirror image of that map instead, a model that
 * looks in the wrong place. Every caption is "a red star".
 */
final class ColourSeekingCaptioner implements Captioner {

    static final int GRID = 8;

    private final Preprocessing preprocessing;
    private final boolean mirrored;

    ColourSeekingCaptioner(Preprocessing preprocessing, boolean mirrored) {
        this.preprocessing = preprocessing;
        this.mirrored = mirrored;
    }

    @Override
    public List<Caption> captionAll(List<BufferedImage> images, DecodingOptions options) {
        List<Caption> out = new ArrayList<>();
        for (BufferedImage image : images) {
            float[] row = saturationMap(modelView(image));
            List<String> words = List.of("a", "red", "star");
            out.add(new Caption("a red star", words, -1.5, List.of(-0.5, -0.5, -0.5), List.of(),
                    AttentionWeights.of(GRID, GRID, new float[][] {row, row, row})));
        }
        return out;
    }

    @Override
    public BufferedImage modelView(BufferedImage image) {
        return preprocessing.modelView(image);
    }

    private float[] saturationMap(BufferedImage view) {
        float[] sums = new float[GRID * GRID];
        int w = view.getWidth();
        int h = view.getHeight();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = view.getRGB(x, y);
                int r = (p >> 16) & 0xFF;
                int g = (p >> 8) & 0xFF;
                int b = p & 0xFF;
                int cx = x * GRID / w;
                if (mirrored) {
                    cx = GRID - 1 - cx;
                }
                sums[(y * GRID / h) * GRID + cx] += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
            }
        }
        float total = 0;
        for (float s : sums) {
            total += s + 1e-3f;
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] = (sums[i] + 1e-3f) / total;
        }
        return sums;
    }
}
