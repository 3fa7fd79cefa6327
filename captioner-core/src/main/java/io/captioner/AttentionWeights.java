package io.captioner;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where the model looked for each word of a caption: one row of weights per token over the H × W
 * locations of the encoder's feature map. Immutable.
 *
 * <p>Row t belongs to {@code caption.tokens().get(t)}: the weights the decoder attended with at the
 * step that emitted that word. Within a row, location (y, x) is at index {@code y * W + x}, y
 * counting rows of the map from the top of the image the model saw (after its resize and crop)
 * and x columns from its left; a row sums to 1. {@link #empty()} (no rows, H = W = 0) stands for
 * "not available": attention was not requested ({@link DecodingOptions#attention()}) or the model
 * has none.
 */
public final class AttentionWeights {

    private static final AttentionWeights EMPTY = new AttentionWeights(0, 0, new float[0][]);

    private final int height;
    private final int width;
    private final float[][] rows;

    private AttentionWeights(int height, int width, float[][] rows) {
        this.height = height;
        this.width = width;
        this.rows = rows;
    }

    /**
     * Returns the weights of a caption without attention.
     *
     * @return the shared empty instance
     */
    public static AttentionWeights empty() {
        return EMPTY;
    }

    /**
     * Creates the weights of a caption from one row per token; the rows are copied.
     *
     * @param height H, rows of the feature map, at least 1
     * @param width W, columns of the feature map, at least 1
     * @param rows per token, H·W weights with location (y, x) at {@code y * W + x}
     * @return the weights
     * @throws IllegalArgumentException if H or W is below 1 or a row is null or not H·W long
     */
    public static AttentionWeights of(int height, int width, float[][] rows) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("attention map height and width must be at least 1, found "
                    + height + " x " + width);
        }
        float[][] copy = new float[rows.length][];
        for (int t = 0; t < rows.length; t++) {
            if (rows[t] == null || rows[t].length != height * width) {
                throw new IllegalArgumentException("attention row " + t + " must have " + height + " x " + width
                        + " = " + height * width + " weights, found "
                        + (rows[t] == null ? "null" : Integer.toString(rows[t].length)));
            }
            copy[t] = rows[t].clone();
        }
        return new AttentionWeights(height, width, copy);
    }

    /**
     * Returns whether there are no rows: attention not requested or not available, or a caption of
     * no words.
     *
     * @return true when {@link #tokens()} is 0
     */
    public boolean isEmpty() {
        return rows.length == 0;
    }

    /**
     * Returns the number of rows, one per token of the caption (0 when empty).
     *
     * @return the number of tokens with weights
     */
    public int tokens() {
        return rows.length;
    }

    /**
     * Returns H, the rows of the feature map (0 for {@link #empty()}).
     *
     * @return the map height in locations
     */
    public int height() {
        return height;
    }

    /**
     * Returns W, the columns of the feature map (0 for {@link #empty()}).
     *
     * @return the map width in locations
     */
    public int width() {
        return width;
    }

    /**
     * Returns the weights of one token as a flat row.
     *
     * @param token the index of the token in the caption
     * @return a fresh array of H·W weights, location (y, x) at {@code y * W + x}
     * @throws IndexOutOfBoundsException if there is no such row
     */
    public float[] weights(int token) {
        return rows[token].clone();
    }

    /**
     * Returns the weight of one token at one location.
     *
     * @param token the index of the token in the caption
     * @param y the row of the map, 0 at the top
     * @param x the column of the map, 0 at the left
     * @return the weight
     * @throws IndexOutOfBoundsException if there is no such token or location
     */
    public float weight(int token, int y, int x) {
        if (y < 0 || y >= height || x < 0 || x >= width) {
            throw new IndexOutOfBoundsException("location (" + y + ", " + x + ") is outside the " + height
                    + " x " + width + " map");
        }
        return rows[token][y * width + x];
    }

    /**
     * Returns the weights of one token as an H × W grid.
     *
     * @param token the index of the token in the caption
     * @return a fresh {@code [H][W]} array
     * @throws IndexOutOfBoundsException if there is no such row
     */
    public float[][] grid(int token) {
        float[] row = rows[token];
        float[][] grid = new float[height][];
        for (int y = 0; y < height; y++) {
            grid[y] = Arrays.copyOfRange(row, y * width, (y + 1) * width);
        }
        return grid;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttentionWeights other && height == other.height && width == other.width
                && Arrays.deepEquals(rows, other.rows);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.deepHashCode(rows);
    }

    @Override
    public String toString() {
        return isEmpty() && height == 0 ? "AttentionWeights[none]"
                : String.format(Locale.ROOT, "AttentionWeights[%d tokens over %d x %d]", rows.length, height, width);
    }
}
