package io.captioner.models.train;

import java.util.Arrays;

/**
 * The feature rows of one split, read a range at a time, so that captioning or scoring a split
 * never holds all of its features at once (Flickr8k's 1,000 test images at 14 × 14 × 2048 would
 * take 1.6 GB as float32). Rows follow the split's images in order.
 */
public interface FeatureRows {

    /** The most floats {@link #chunkSize()} aims to hold in one chunk: 16 Mi floats, 64 MiB. */
    int CHUNK_FLOATS = 16 << 20;
    /** The most rows in one chunk, whatever their size. */
    int MAX_CHUNK_ROWS = 256;

    /**
     * Returns the number of rows, one per image.
     *
     * @return N
     */
    int size();

    /**
     * Returns the shape of one row: {@code {D}} or {@code {H, W, D}}.
     *
     * @return a fresh array
     */
    int[] featureShape();

    /**
     * Reads consecutive rows.
     *
     * @param from the first row, inclusive
     * @param to the last row, exclusive
     * @return {@code to - from} rows, each the product of {@link #featureShape()} floats; the caller
     *     may keep them
     * @throws IndexOutOfBoundsException if the range is not inside {@code [0, size()]}
     */
    float[][] rows(int from, int to);

    /**
     * Returns how many rows a caller should read at a time: as many as fit in {@link #CHUNK_FLOATS}
     * floats, at least 1 and at most {@link #MAX_CHUNK_ROWS}.
     *
     * @return the chunk size in rows
     */
    default int chunkSize() {
        long length = 1;
        for (int d : featureShape()) {
            length *= d;
        }
        return (int) Math.max(1, Math.min(MAX_CHUNK_ROWS, CHUNK_FLOATS / length));
    }

    /**
     * Serves rows held in memory.
     *
     * @param rows N rows, kept by reference
     * @param shape the shape of one row; its product must be each row's length
     * @return the rows
     * @throws IllegalArgumentException naming the first row of the wrong length
     */
    static FeatureRows of(float[][] rows, int... shape) {
        int[] rowShape = shape.clone();
        long length = 1;
        for (int d : rowShape) {
            length *= d;
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != length) {
                throw new IllegalArgumentException("rows[" + i + "] must have " + length + " values "
                        + Arrays.toString(rowShape) + ", found " + (rows[i] == null ? "null" : rows[i].length));
            }
        }
        return new FeatureRows() {
            @Override
            public int size() {
                return rows.length;
            }

            @Override
            public int[] featureShape() {
                return rowShape.clone();
            }

            @Override
            public float[][] rows(int from, int to) {
                return Arrays.copyOfRange(rows, java.util.Objects.checkFromToIndex(from, to, rows.length), to);
            }
        };
    }
}
