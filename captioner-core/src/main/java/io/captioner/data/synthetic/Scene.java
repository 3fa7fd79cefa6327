package io.captioner.data.synthetic;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

/**
 * What a synthetic image shows: its background and one to three shapes, which is what its
 * captions describe. Immutable.
 *
 * <p>With more than one shape the shapes stand on a line, in {@link Layout#ROW} (ordered left to
 * right) or {@link Layout#COLUMN} (ordered top to bottom); {@code shapes} lists them in that order.
 * Shapes never overlap and always lie wholly inside the image.
 *
 * @param imageSize the side of the square image in pixels
 * @param background the background
 * @param layout how the shapes are arranged
 * @param shapes the shapes in layout order, one to three, no two with the same (colour, kind)
 */
public record Scene(int imageSize, Background background, Layout layout, List<PlacedShape> shapes) {

    /** How the shapes of a scene are arranged. */
    public enum Layout {
        /** One shape anywhere in the image. */
        SINGLE,
        /** Two or three shapes side by side, listed left to right. */
        ROW,
        /** Two or three shapes one above the other, listed top to bottom. */
        COLUMN
    }

    /**
     * Validates and copies the shape list.
     *
     * @throws IllegalArgumentException if the layout does not fit the number of shapes, a shape
     *     sticks out of the image, two shapes share colour and kind, or shapes are not in layout
     *     order
     */
    public Scene {
        Objects.requireNonNull(background, "background");
        Objects.requireNonNull(layout, "layout");
        shapes = List.copyOf(shapes);
        if (shapes.isEmpty() || shapes.size() > 3) {
            throw new IllegalArgumentException(
                    "a scene needs 1 to 3 shapes, found " + shapes.size());
        }
        if ((layout == Layout.SINGLE) != (shapes.size() == 1)) {
            throw new IllegalArgumentException("layout " + layout + " does not fit "
                    + shapes.size() + " shape(s); SINGLE is for exactly one shape");
        }
        for (PlacedShape s : shapes) {
            if (s.x() - s.radius() < 0 || s.y() - s.radius() < 0
                    || s.x() + s.radius() + 1 > imageSize || s.y() + s.radius() + 1 > imageSize) {
                throw new IllegalArgumentException(
                        "shape " + s + " does not fit in a " + imageSize + " px image");
            }
        }
        java.util.Set<ColouredShape> pairs = new java.util.HashSet<>();
        for (PlacedShape s : shapes) {
            if (!pairs.add(s.pair())) {
                throw new IllegalArgumentException("two shapes of a scene must not share colour and "
                        + "kind (captions could not tell them apart), found two " + s.pair() + "s");
            }
        }
        for (int i = 1; i < shapes.size(); i++) {
            Relation r = Relation.of(shapes.get(i - 1), shapes.get(i));
            Relation expected = layout == Layout.ROW ? Relation.LEFT_OF : Relation.ABOVE;
            if (r != expected) {
                throw new IllegalArgumentException("shapes of a " + layout + " must be listed in order "
                        + "but " + shapes.get(i - 1) + " is " + r + " " + shapes.get(i));
            }
        }
    }

    /**
     * Returns where shape {@code a} is relative to shape {@code b}.
     *
     * @param a index into {@link #shapes()}
     * @param b another index into {@link #shapes()}
     * @return the relation of shape a to shape b
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public Relation relation(int a, int b) {
        return Relation.of(shapes.get(a), shapes.get(b));
    }

    /**
     * Draws the scene: the background, then each shape filled with antialiased edges.
     *
     * <p>Deterministic: the same scene always gives the same pixels.
     *
     * @return a new {@code TYPE_INT_RGB} image of {@code imageSize × imageSize} pixels, owned by
     *     the caller
     */
    public BufferedImage render() {
        return SceneRenderer.render(this);
    }

    /**
     * Describes the scene, for example
     * {@code "ROW on white: [small red circle at (12, 30) r=5, large blue square at (45, 33) r=8]"}.
     *
     * @return a readable description
     */
    @Override
    public String toString() {
        return layout + " on " + background.word() + ": " + shapes;
    }
}
