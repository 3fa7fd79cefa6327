package io.captioner.data.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads shapes and relations back out of captions, independently of {@link CaptionGrammar}: its
 * own synonym tables, its own regular expressions.
 */
final class CaptionParser {

    static final String SIZE = "(small|little|large|big)";
    static final String COLOUR = "(red|green|blue|yellow|purple|pink)";
    static final String KIND = "(circle|disc|square|box|triangle|cross|star)";
    /** A noun phrase: groups size (may be null), colour, kind. */
    static final String NP = "(?:" + SIZE + " )?" + COLOUR + " " + KIND;
    static final Pattern NP_PATTERN = Pattern.compile("\\b" + NP + "\\b");
    static final String REL = "(left of|to the left of|right of|to the right of|above|below|under)";
    /** "a NP REL a NP": groups 1-3 first NP, 4 relation, 5-7 second NP. */
    static final Pattern RELATION = Pattern.compile("\\ba " + NP + " " + REL + " a " + NP + "\\b");
    static final Pattern BETWEEN = Pattern.compile("\\ba " + NP + " between a " + NP + " and a " + NP);
    static final Pattern ORDERED = Pattern.compile(
            "^a " + NP + " , a " + NP + " and a " + NP + " from (left to right|top to bottom) \\.$");

    private static final Map<String, ShapeKind> KINDS = Map.of(
            "circle", ShapeKind.CIRCLE, "disc", ShapeKind.CIRCLE,
            "square", ShapeKind.SQUARE, "box", ShapeKind.SQUARE,
            "triangle", ShapeKind.TRIANGLE, "cross", ShapeKind.CROSS, "star", ShapeKind.STAR);
    private static final Map<String, Colour> COLOURS = Map.of(
            "red", Colour.RED, "green", Colour.GREEN, "blue", Colour.BLUE,
            "yellow", Colour.YELLOW, "purple", Colour.PURPLE, "pink", Colour.PINK);
    private static final Map<String, Size> SIZES = Map.of(
            "small", Size.SMALL, "little", Size.SMALL, "large", Size.LARGE, "big", Size.LARGE);

    private CaptionParser() {}

    /** A noun phrase read from a caption; size is empty when the caption did not say. */
    record Mention(Colour colour, ShapeKind kind, Optional<Size> size) {}

    static Mention mention(Matcher m, int firstGroup) {
        String size = m.group(firstGroup);
        return new Mention(COLOURS.get(m.group(firstGroup + 1)), KINDS.get(m.group(firstGroup + 2)),
                Optional.ofNullable(size).map(SIZES::get));
    }

    static List<Mention> mentions(String caption) {
        List<Mention> out = new ArrayList<>();
        Matcher m = NP_PATTERN.matcher(caption);
        while (m.find()) {
            out.add(mention(m, 1));
        }
        return out;
    }

    /** The scene's shape that a mention refers to, or empty if the scene has none like it. */
    static Optional<PlacedShape> resolve(Scene scene, Mention mention) {
        return scene.shapes().stream()
                .filter(s -> s.colour() == mention.colour() && s.kind() == mention.kind())
                .findFirst();
    }

    /** True if a is wholly on the given side of b and clearly more along that axis than across. */
    static boolean holds(String relation, PlacedShape a, PlacedShape b) {
        int dx = Math.abs(a.x() - b.x());
        int dy = Math.abs(a.y() - b.y());
        switch (relation) {
            case "left of":
            case "to the left of":
                return a.x() + a.radius() < b.x() - b.radius() && 2 * dy <= dx;
            case "right of":
            case "to the right of":
                return holds("left of", b, a);
            case "above":
                return a.y() + a.radius() < b.y() - b.radius() && 2 * dx <= dy;
            case "below":
            case "under":
                return holds("above", b, a);
            default:
                throw new IllegalArgumentException("unknown relation " + relation);
        }
    }
}
