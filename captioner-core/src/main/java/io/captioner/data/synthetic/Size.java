package io.captioner.data.synthetic;

import java.util.List;

/**
 * The two sizes of a synthetic shape: its radius as a fraction of the image side, and the words
 * captions use for it.
 */
public enum Size {
    /** Radius 8% of the image side (5 px at 64 px, 8 px at 96 px); "small" or "little". */
    SMALL(0.08, List.of("small", "little")),
    /** Radius 13% of the image side (8 px at 64 px, 12 px at 96 px); "large" or "big". */
    LARGE(0.13, List.of("large", "big"));

    private final double radiusFraction;
    private final List<String> words;

    Size(double radiusFraction, List<String> words) {
        this.radiusFraction = radiusFraction;
        this.words = words;
    }

    /**
     * Returns the radius in pixels of a shape of this size in an image of the given side.
     *
     * @param imageSize the image side in pixels
     * @return the radius in pixels, rounded to the nearest integer
     */
    public int radius(int imageSize) {
        return (int) Math.round(radiusFraction * imageSize);
    }

    /**
     * Returns the words captions use for this size, the usual one first.
     *
     * @return lower-case single words, unmodifiable
     */
    public List<String> words() {
        return words;
    }
}
