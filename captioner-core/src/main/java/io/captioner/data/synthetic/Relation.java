package io.captioner.data.synthetic;

import java.util.List;

/**
 * Where one shape is relative to another, with the phrases captions use for it.
 *
 * <p>Image coordinates grow to the right and downwards, so "above" means a smaller y.
 */
public enum Relation {
    /** The first shape is to the left of the second. */
    LEFT_OF(List.of("left of", "to the left of")),
    /** The first shape is to the right of the second. */
    RIGHT_OF(List.of("right of", "to the right of")),
    /** The first shape is above the second. */
    ABOVE(List.of("above")),
    /** The first shape is below the second. */
    BELOW(List.of("below", "under"));

    private final List<String> phrases;

    Relation(List<String> phrases) {
        this.phrases = phrases;
    }

    /**
     * Returns the phrases captions use for this relation, the usual one first.
     *
     * @return lower-case phrases of one to four words, unmodifiable
     */
    public List<String> phrases() {
        return phrases;
    }

    /**
     * Returns the relation seen from the other shape: left of becomes right of, above becomes below.
     *
     * @return the inverse relation
     */
    public Relation inverse() {
        switch (this) {
            case LEFT_OF:
                return RIGHT_OF;
            case RIGHT_OF:
                return LEFT_OF;
            case ABOVE:
                return BELOW;
            default:
                return ABOVE;
        }
    }

    /**
     * Computes where shape {@code a} is relative to shape {@code b} from their centres: along the
     * axis on which the centres differ most (horizontal on a tie).
     *
     * <p>Generated scenes keep related shapes apart on that axis by at least twice their offset on
     * the other axis, so the answer is never borderline.
     *
     * @param a the shape being described
     * @param b the reference shape
     * @return the relation of {@code a} to {@code b}
     */
    public static Relation of(PlacedShape a, PlacedShape b) {
        int dx = a.x() - b.x();
        int dy = a.y() - b.y();
        if (Math.abs(dx) >= Math.abs(dy)) {
            return dx < 0 ? LEFT_OF : RIGHT_OF;
        }
        return dy < 0 ? ABOVE : BELOW;
    }
}
