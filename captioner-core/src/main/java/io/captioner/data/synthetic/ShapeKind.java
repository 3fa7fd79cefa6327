package io.captioner.data.synthetic;

import java.util.List;

/**
 * The kinds of shape drawn by the synthetic dataset, with the words captions use for them.
 *
 * <p>Every kind fits inside the shape's bounding box (a square of side twice its radius around its
 * centre) and covers the centre pixel, so the colour at a shape's centre is always the shape's own colour.
 */
public enum ShapeKind {
    /** A filled circle; called "circle" or "disc". */
    CIRCLE(List.of("circle", "disc")),
    /** A filled axis-aligned square; called "square" or "box". */
    SQUARE(List.of("square", "box")),
    /** A filled triangle pointing up; called "triangle". */
    TRIANGLE(List.of("triangle")),
    /** A filled plus-shaped cross; called "cross". */
    CROSS(List.of("cross")),
    /** A filled five-pointed star pointing up; called "star". */
    STAR(List.of("star"));

    private final List<String> words;

    ShapeKind(List<String> words) {
        this.words = words;
    }

    /**
     * Returns the words captions use for this kind, the usual one first.
     *
     * @return one or more lower-case single words, unmodifiable
     */
    public List<String> words() {
        return words;
    }
}
