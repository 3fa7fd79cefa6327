package io.captioner.data.synthetic;

/**
 * The colours a synthetic shape can have, each with its caption word and exact RGB value.
 *
 * <p>The colours are saturated and far apart so that a small CNN separates them easily, and none
 * equals a {@link Background} colour. No colour word starts with a vowel, so captions can always
 * use the article "a".
 */
public enum Colour {
    /** Red. */
    RED(0xDC2828),
    /** Green. */
    GREEN(0x28AA46),
    /** Blue. */
    BLUE(0x2850DC),
    /** Yellow. */
    YELLOW(0xF0C81E),
    /** Purple. */
    PURPLE(0x8C3CBE),
    /** Pink. */
    PINK(0xFA78BE);

    private final int rgb;

    Colour(int rgb) {
        this.rgb = rgb;
    }

    /**
     * Returns the exact colour of the shape's interior pixels.
     *
     * @return the colour as {@code 0xRRGGBB} (no alpha)
     */
    public int rgb() {
        return rgb;
    }

    /**
     * Returns the word captions use for this colour.
     *
     * @return the lower-case colour name, for example {@code "red"}
     */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
