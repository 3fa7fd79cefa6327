package io.captioner.visual;

import io.captioner.AttentionWeights;
import io.captioner.Caption;
import io.captioner.CaptionerException;
import io.captioner.io.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Draws where a model looked for each word of a caption: a figure whose first panel is the picture
 * the model saw and whose next panels, one per word, show that word's attention over the picture,
 * with the word beneath.
 *
 * <p>The picture must be the one the model saw, after its resize and crop (for a loaded model,
 * {@link io.captioner.Captioner#modelView}), because the attention map covers exactly that picture:
 * map location (y, x) of an H × W map is the cell {@code [x·w/W, (x+1)·w/W) × [y·h/H, (y+1)·h/H)} of
 * a w × h picture. Each word's weights are upsampled bilinearly ({@link #upsample}), scaled so the
 * word's largest weight is 1, coloured from black through red and yellow to white, and laid over
 * the picture with {@link Builder#optOpacity opacity} α: a pixel becomes {@code (1 − α)·picture +
 * α·colour}, so the places the model ignored are darkened. Pictures smaller than
 * {@link Builder#optMinPanelSize} on their shorter side are enlarged (bicubic) for viewing. The
 * layout is {@link #layout}. Instances are immutable and thread-safe.
 */
public final class AttentionMapRenderer {

    private static final Color BACKGROUND = Color.WHITE;
    private static final Color TEXT = new Color(0x20, 0x20, 0x20);
    private static final int MARGIN = 8;
    private static final int MIN_FONT = 8;

    private final int minPanelSize;
    private final int columns;
    private final double opacity;

    private AttentionMapRenderer(Builder b) {
        this.minPanelSize = b.minPanelSize;
        this.columns = b.columns;
        this.opacity = b.opacity;
    }

    /**
     * Creates a builder; every setting is optional.
     *
     * @return a new builder with the defaults of {@link #defaults()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a renderer with the default settings: panels at least 160 pixels on their shorter
     * side, 6 panels per row, opacity 0.6.
     *
     * @return the renderer
     */
    public static AttentionMapRenderer defaults() {
        return builder().build();
    }

    /**
     * Returns the smallest shorter side of a panel, in pixels.
     *
     * @return the minimum panel size
     */
    public int minPanelSize() {
        return minPanelSize;
    }

    /**
     * Returns the number of panels per row.
     *
     * @return the columns
     */
    public int columns() {
        return columns;
    }

    /**
     * Returns the opacity of the heat map over the picture.
     *
     * @return α in [0, 1]
     */
    public double opacity() {
        return opacity;
    }

    /**
     * Returns the layout of the figure for a picture and a number of words, as {@link #render}
     * draws it.
     *
     * @param viewWidth the width of the picture the model saw, in pixels
     * @param viewHeight its height, in pixels
     * @param words the number of words of the caption
     * @return the layout: {@code words + 1} panels
     * @throws IllegalArgumentException if a size is below 1 or {@code words} is negative
     */
    public AttentionMapLayout layout(int viewWidth, int viewHeight, int words) {
        if (viewWidth < 1 || viewHeight < 1) {
            throw new IllegalArgumentException("picture size must be at least 1 x 1, found " + viewWidth + " x "
                    + viewHeight);
        }
        if (words < 0) {
            throw new IllegalArgumentException("words must be at least 0, found " + words);
        }
        double scale = Math.max(1.0, (double) minPanelSize / Math.min(viewWidth, viewHeight));
        int panelWidth = Math.max(1, (int) Math.round(viewWidth * scale));
        int panelHeight = Math.max(1, (int) Math.round(viewHeight * scale));
        int fontSize = fontSize(panelHeight);
        int labelHeight = (int) Math.ceil(fontSize * 1.5) + 4;
        return new AttentionMapLayout(panelWidth, panelHeight, labelHeight, MARGIN, columns, words + 1);
    }

    /**
     * Draws the figure of a caption.
     *
     * @param view the picture the model saw (after its resize and crop), any {@link BufferedImage}
     *     type; not modified
     * @param caption a caption of that picture with its attention weights
     * @return a new {@code TYPE_INT_RGB} image laid out as {@link #layout} says
     * @throws IllegalArgumentException if the caption has words but no attention weights (decode
     *     with {@code DecodingOptions.Builder.optAttention(true)} with a model that has attention)
     */
    public BufferedImage render(BufferedImage view, Caption caption) {
        Objects.requireNonNull(caption, "caption");
        return render(view, caption.tokens(), caption.attention());
    }

    /**
     * Draws the figure of a list of words and their attention weights.
     *
     * @param view the picture the model saw (after its resize and crop); not modified
     * @param words the words, one panel each, labelled with the word
     * @param weights one row of weights per word over the model's feature map
     * @return a new {@code TYPE_INT_RGB} image laid out as {@link #layout} says
     * @throws IllegalArgumentException if there are words but no weights, or not one row per word
     */
    public BufferedImage render(BufferedImage view, List<String> words, AttentionWeights weights) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(words, "words");
        Objects.requireNonNull(weights, "weights");
        if (weights.isEmpty() && !words.isEmpty()) {
            throw new IllegalArgumentException("the caption " + words + " has no attention weights: decode with"
                    + " DecodingOptions.Builder.optAttention(true), with a model whose decoder has attention");
        }
        if (weights.tokens() != words.size()) {
            throw new IllegalArgumentException("attention weights need one row per word, found " + weights.tokens()
                    + " rows for " + words.size() + " words " + words);
        }
        AttentionMapLayout layout = layout(view.getWidth(), view.getHeight(), words.size());
        int pw = layout.panelWidth();
        int ph = layout.panelHeight();
        BufferedImage figure = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = figure.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, figure.getWidth(), figure.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            BufferedImage picture = scaled(view, pw, ph);
            draw(g, layout, 0, picture, String.format(Locale.ROOT, "input %dx%d", view.getWidth(), view.getHeight()));
            int[] base = picture.getRGB(0, 0, pw, ph, null, 0, pw);
            for (int t = 0; t < words.size(); t++) {
                draw(g, layout, t + 1, overlay(base, upsample(weights, t, pw, ph), pw, ph), words.get(t));
            }
        } finally {
            g.dispose();
        }
        return figure;
    }

    /**
     * Draws the figure of a caption and writes it as a PNG file atomically (a reader never sees a
     * half-written file; parent directories are created).
     *
     * @param file the PNG file to write, replaced if it exists
     * @param view the picture the model saw (after its resize and crop)
     * @param caption a caption of that picture with its attention weights
     * @throws IllegalArgumentException as {@link #render(BufferedImage, Caption)}
     * @throws CaptionerException naming the file if it cannot be written
     */
    public void writePng(Path file, BufferedImage view, Caption caption) {
        BufferedImage figure = render(view, caption);
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(figure, "png", out)) {
                throw new java.io.IOException("no PNG writer in this Java runtime");
            }
        });
    }

    /**
     * Upsamples one word's weights to a picture of {@code width × height} pixels by bilinear
     * interpolation, as PyTorch's {@code interpolate(mode="bilinear", align_corners=False)} does:
     * map location (y, x) is the value at the centre of its cell, values between cell centres are
     * interpolated, and beyond the outermost centres the edge value holds. The largest value is
     * therefore in the cell of the largest weight, at its centre.
     *
     * @param weights the caption's attention weights
     * @param token the index of the word
     * @param width the picture's width in pixels, at least 1
     * @param height the picture's height in pixels, at least 1
     * @return {@code width * height} values, row-major (pixel (px, py) at {@code py * width + px}),
     *     in the units of the weights
     * @throws IllegalArgumentException if a size is below 1
     * @throws IndexOutOfBoundsException if there is no such token
     */
    public static float[] upsample(AttentionWeights weights, int token, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("upsampled size must be at least 1 x 1, found " + width + " x " + height);
        }
        float[] row = weights.weights(token);
        int gw = weights.width();
        int gh = weights.height();
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        float[] fx = new float[width];
        taps(gw, width, x0, x1, fx);
        int[] y0 = new int[height];
        int[] y1 = new int[height];
        float[] fy = new float[height];
        taps(gh, height, y0, y1, fy);
        float[] out = new float[width * height];
        for (int py = 0; py < height; py++) {
            int r0 = y0[py] * gw;
            int r1 = y1[py] * gw;
            for (int px = 0; px < width; px++) {
                float top = row[r0 + x0[px]] + fx[px] * (row[r0 + x1[px]] - row[r0 + x0[px]]);
                float bottom = row[r1 + x0[px]] + fx[px] * (row[r1 + x1[px]] - row[r1 + x0[px]]);
                out[py * width + px] = top + fy[py] * (bottom - top);
            }
        }
        return out;
    }

    /** For each output pixel, the two neighbouring cells and the weight of the second. */
    private static void taps(int cells, int pixels, int[] lo, int[] hi, float[] frac) {
        double scale = (double) cells / pixels;
        for (int p = 0; p < pixels; p++) {
            double src = Math.max(0, (p + 0.5) * scale - 0.5);
            int i = Math.min((int) Math.floor(src), cells - 1);
            lo[p] = i;
            hi[p] = Math.min(i + 1, cells - 1);
            frac[p] = (float) (src - i);
        }
    }

    private static BufferedImage scaled(BufferedImage view, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(view, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The picture with the heat of {@code values} (scaled to their maximum) laid over it. */
    private BufferedImage overlay(int[] base, float[] values, int width, int height) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, v);
        }
        float scale = max > 0 ? 1f / max : 0f;
        int[] out = new int[base.length];
        float keep = (float) (1 - opacity);
        float add = (float) (255 * opacity);
        for (int i = 0; i < base.length; i++) {
            float t = Math.min(1f, Math.max(0f, values[i] * scale));
            int p = base[i];
            int r = Math.round(((p >> 16) & 0xFF) * keep + add * clamp(3 * t));
            int gr = Math.round(((p >> 8) & 0xFF) * keep + add * clamp(3 * t - 1));
            int b = Math.round((p & 0xFF) * keep + add * clamp(3 * t - 2));
            out[i] = (r << 16) | (gr << 8) | b;
        }
        BufferedImage panel = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        panel.setRGB(0, 0, width, height, out, 0, width);
        return panel;
    }

    private static float clamp(float v) {
        return v <= 0 ? 0 : v >= 1 ? 1 : v;
    }

    private static void draw(Graphics2D g, AttentionMapLayout layout, int panel, BufferedImage picture,
            String label) {
        Rectangle image = layout.imageBounds(panel);
        g.drawImage(picture, image.x, image.y, null);
        Rectangle strip = layout.labelBounds(panel);
        int size = fontSize(layout.panelHeight());
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, size);
        FontMetrics fm = g.getFontMetrics(font);
        int room = strip.width - 2;
        while (fm.stringWidth(label) > room && size > MIN_FONT) {
            size--;
            font = font.deriveFont((float) size);
            fm = g.getFontMetrics(font);
        }
        String text = label;
        while (fm.stringWidth(text) > room && text.length() > 1) {
            // still too wide at the smallest size: cut the word and say so with an ellipsis
            text = text.substring(0, text.length() - (text.endsWith("\u2026") ? 2 : 1)) + "\u2026";
        }
        g.setFont(font);
        g.setColor(TEXT);
        int x = strip.x + (strip.width - fm.stringWidth(text)) / 2;
        int y = strip.y + (strip.height - fm.getAscent() - fm.getDescent()) / 2 + fm.getAscent();
        g.drawString(text, x, y);
    }

    /** The label font's size for panels of this height: a twelfth of it, from 10 to 24 points. */
    private static int fontSize(int panelHeight) {
        return Math.max(10, Math.min(24, Math.round(panelHeight / 12f)));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "AttentionMapRenderer[min panel %d px, %d columns, opacity %.2f]",
                minPanelSize, columns, opacity);
    }

    /** Collects the settings of an {@link AttentionMapRenderer}; setters may be called in any order. */
    public static final class Builder {
        private int minPanelSize = 160;
        private int columns = 6;
        private double opacity = 0.6;

        private Builder() {}

        /**
         * Sets the smallest shorter side of a panel: smaller pictures are enlarged to it, keeping
         * their aspect ratio; larger ones are drawn at their own size (default 160 pixels).
         *
         * @param value pixels, at least 1
         * @return this builder
         */
        public Builder optMinPanelSize(int value) {
            this.minPanelSize = value;
            return this;
        }

        /**
         * Sets how many panels a row holds before the next row starts (default 6).
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder optColumns(int value) {
            this.columns = value;
            return this;
        }

        /**
         * Sets how strongly the heat map covers the picture (default 0.6): 0 shows the picture
         * alone, 1 the heat map alone.
         *
         * @param value α in [0, 1]
         * @return this builder
         */
        public Builder optOpacity(double value) {
            this.opacity = value;
            return this;
        }

        /**
         * Validates the settings and builds the renderer.
         *
         * @return the renderer
         * @throws IllegalArgumentException naming the first setting out of range and its value
         */
        public AttentionMapRenderer build() {
            if (minPanelSize < 1) {
                throw new IllegalArgumentException("minPanelSize must be at least 1, found " + minPanelSize);
            }
            if (columns < 1) {
                throw new IllegalArgumentException("columns must be at least 1, found " + columns);
            }
            if (!(opacity >= 0 && opacity <= 1)) {
                throw new IllegalArgumentException("opacity must be in [0, 1], found " + opacity);
            }
            return new AttentionMapRenderer(this);
        }
    }
}
