package io.captioner.data.synthetic;

import java.util.Comparator;
import java.util.Objects;

/**
 * A (colour, shape kind) combination, the unit of the held-out composition rule: the test split
 * shows combinations, such as a blue triangle, that no training image contains.
 *
 * @param colour the colour
 * @param kind the kind of shape
 */
public record ColouredShape(Colour colour, ShapeKind kind) implements Comparable<ColouredShape> {

    private static final Comparator<ColouredShape> ORDER =
            Comparator.comparing(ColouredShape::colour).thenComparing(ColouredShape::kind);

    /**
     * Checks that neither part is null.
     *
     * @throws NullPointerException naming the missing part
     */
    public ColouredShape {
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(kind, "kind");
    }

    /**
     * Creates a combination.
     *
     * @param colour the colour
     * @param kind the kind of shape
     * @return the combination
     */
    public static ColouredShape of(Colour colour, ShapeKind kind) {
        return new ColouredShape(colour, kind);
    }

    /**
     * Orders by colour, then kind (enum declaration order).
     *
     * @param other the combination to compare with
     * @return negative, zero or positive
     */
    @Override
    public int compareTo(ColouredShape other) {
        return ORDER.compare(this, other);
    }

    /**
     * Returns the combination as caption words, for example {@code "blue triangle"}.
     *
     * @return colour word, a space, and the kind's usual word
     */
    @Override
    public String toString() {
        return colour.word() + " " + kind.words().get(0);
    }
}
