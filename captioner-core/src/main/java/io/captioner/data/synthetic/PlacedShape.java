package io.captioner.data.synthetic;

import java.util.Objects;

/**
 * One shape of a synthetic scene: what it is and where it is drawn.
 *
 * <p>Coordinates are pixels of the image, x from the left, y from the top. The shape is drawn
 * centred on the middle of pixel ({@code x}, {@code y}), that is at (x + 0.5, y + 0.5), and lies
 * inside the square of side {@code 2 * radius} centred on that point (its bounding box, which is
 * what keeps shapes apart); the pixel ({@code x}, {@code y}) itself is always fully covered, so it
 * has exactly the shape's colour.
 *
 * @param kind the kind of shape
 * @param colour the fill colour
 * @param size small or large
 * @param x the column of the centre pixel
 * @param y the row of the centre pixel
 * @param radius half the side of the shape's bounding box in pixels, at least 4
 */
public record PlacedShape(ShapeKind kind, Colour colour, Size size, int x, int y, int radius) {

    /**
     * Validates the fields.
     *
     * @throws NullPointerException if kind, colour or size is null
     * @throws IllegalArgumentException if the radius is below 4 or the centre is negative
     */
    public PlacedShape {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(size, "size");
        if (radius < 4) {
            throw new IllegalArgumentException("radius must be at least 4 px, found " + radius);
        }
        if (x < 0 || y < 0) {
            throw new IllegalArgumentException(
                    "centre must not be negative, found (" + x + ", " + y + ")");
        }
    }

    /**
     * Returns the shape's (colour, kind) combination.
     *
     * @return the combination used by the held-out rule
     */
    public ColouredShape pair() {
        return new ColouredShape(colour, kind);
    }

    /**
     * Describes the shape, for example {@code "large red circle at (20, 31) r=8"}.
     *
     * @return a readable description
     */
    @Override
    public String toString() {
        return size.words().get(0) + " " + colour.word() + " " + kind.words().get(0)
                + " at (" + x + ", " + y + ") r=" + radius;
    }
}
