package io.captioner.data.synthetic;

/**
 * The backgrounds of synthetic images: three plain colours and one texture of diagonal stripes.
 *
 * <p>Background colours are greys, so they never equal a {@link Colour} of a shape.
 */
public enum Background {
    /** Plain white. */
    WHITE(0xFFFFFF, 0xFFFFFF),
    /** Plain black. */
    BLACK(0x000000, 0x000000),
    /** Plain mid grey; called "gray". */
    GRAY(0x808080, 0x808080),
    /** Diagonal stripes of dark and light grey; called "striped". */
    STRIPED(0x5A5A5A, 0xDCDCDC);

    private final int rgb;
    private final int altRgb;

    Background(int rgb, int altRgb) {
        this.rgb = rgb;
        this.altRgb = altRgb;
    }

    /**
     * Returns the background's colour; for {@link #STRIPED}, the colour of the even stripes.
     *
     * @return the colour as {@code 0xRRGGBB}
     */
    public int rgb() {
        return rgb;
    }

    /**
     * Returns the colour of the odd stripes; equals {@link #rgb()} for plain backgrounds.
     *
     * @return the colour as {@code 0xRRGGBB}
     */
    public int alternateRgb() {
        return altRgb;
    }

    /**
     * Returns the colour of one background pixel (before shapes are drawn over it).
     *
     * <p>Stripes run diagonally: pixel (x, y) belongs to stripe {@code (x + y) / stripeWidth}, with
     * {@code stripeWidth = max(3, imageSize / 12)}.
     *
     * @param x the column, from 0 at the left
     * @param y the row, from 0 at the top
     * @param imageSize the image side in pixels
     * @return the colour as {@code 0xRRGGBB}
     */
    public int rgbAt(int x, int y, int imageSize) {
        if (rgb == altRgb) {
            return rgb;
        }
        int stripe = Math.max(3, imageSize / 12);
        return ((x + y) / stripe) % 2 == 0 ? rgb : altRgb;
    }

    /**
     * Returns the word captions use for this background.
     *
     * @return the lower-case word, for example {@code "striped"}
     */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
