package io.captioner.data.synthetic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The small English grammar that describes a {@link Scene}: every caption it writes is true of
 * the scene, and all captions together use a vocabulary of about fifty words.
 *
 * <p>A noun phrase is {@code [size] colour kind} ("big red disc", "blue square"), with synonyms
 * chosen at random (square/box, circle/disc, large/big, small/little, below/under, "left of"/"to
 * the left of"). Depending on the number of shapes a caption is one of these forms:
 * <ul>
 *   <li>one shape: "a small red circle on a white background", "there is a big red disc",
 *       "a single red circle", "a gray background with a red circle", "a picture of a red circle";
 *   <li>two shapes: "a red circle left of a blue square" (either shape first, with the matching
 *       relation), "there is a ...", "a picture of a ...", "... on a black background" (the
 *       last two without size words, to stay within 15 words),
 *       "two shapes : a red circle and a blue box", "two shapes in a row on a white background";
 *   <li>three shapes: "three shapes : a red circle , a blue box and a green star", "there are
 *       three shapes : ...", "a red circle , a blue box and a green star from left to right",
 *       "a blue box between a red circle and a green star", a relation between any two of them,
 *       "three shapes in a column on a striped background".
 * </ul>
 * Captions are lower case, their words separated by single spaces, and end with {@code " ."} like
 * Flickr8k's; three-shape lists use {@code " : "} and {@code " , "}. Tokenized they are 4 to 15
 * words long.
 *
 * <p>Stateless and thread-safe.
 */
public final class CaptionGrammar {

    private static final List<String> STRUCTURE_WORDS = List.of(
            "a", "there", "is", "are", "single", "picture", "of", "on", "background", "with",
            "two", "three", "shapes", "and", "in", "row", "column", "from", "to", "left", "right",
            "top", "bottom", "between");

    private static final SortedSet<String> VOCABULARY = buildVocabulary();

    private CaptionGrammar() {}

    /**
     * Returns every word the grammar can write, punctuation excluded.
     *
     * @return the words in alphabetical order, unmodifiable
     */
    public static SortedSet<String> vocabulary() {
        return VOCABULARY;
    }

    private static SortedSet<String> buildVocabulary() {
        SortedSet<String> words = new TreeSet<>(STRUCTURE_WORDS);
        for (ShapeKind k : ShapeKind.values()) {
            words.addAll(k.words());
        }
        for (Colour c : Colour.values()) {
            words.add(c.word());
        }
        for (Size s : Size.values()) {
            words.addAll(s.words());
        }
        for (Background b : Background.values()) {
            words.add(b.word());
        }
        for (Relation r : Relation.values()) {
            for (String phrase : r.phrases()) {
                words.addAll(Arrays.asList(phrase.split(" ")));
            }
        }
        return Collections.unmodifiableSortedSet(words);
    }

    /**
     * Writes {@code count} distinct captions of a scene, consuming randomness from {@code rng}.
     *
     * @param scene the scene to describe
     * @param rng the source of word choices; the same state gives the same captions
     * @param count how many captions, 1 to 5
     * @return distinct captions, each ending in {@code " ."}
     */
    static List<String> captions(Scene scene, SplittableRandom rng, int count) {
        if (count < 1 || count > 5) {
            throw new IllegalArgumentException("count must be 1 to 5, found " + count);
        }
        List<Template> templates = new ArrayList<>(templates(scene));
        for (int i = templates.size() - 1; i > 0; i--) {
            Collections.swap(templates, i, rng.nextInt(i + 1));
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; out.size() < count; i++) {
            if (i > 200) {
                throw new IllegalStateException("could not write " + count
                        + " distinct captions for " + scene + ", found " + out);
            }
            out.add(templates.get(i % templates.size()).write(rng) + " .");
        }
        return List.copyOf(out);
    }

    /** One caption form; writes a caption with fresh random word choices. */
    @FunctionalInterface
    private interface Template {
        String write(SplittableRandom rng);
    }

    private enum SizeWord { NEVER, MAYBE, ALWAYS }

    private static List<Template> templates(Scene scene) {
        List<PlacedShape> s = scene.shapes();
        String bg = "on a " + scene.background().word() + " background";
        String bgWith = "a " + scene.background().word() + " background with a ";
        switch (s.size()) {
            case 1: {
                PlacedShape a = s.get(0);
                return List.of(
                        r -> "a " + np(a, SizeWord.MAYBE, r) + " " + bg,
                        r -> "there is a " + np(a, SizeWord.MAYBE, r) + " " + bg,
                        r -> "a single " + np(a, SizeWord.MAYBE, r),
                        r -> bgWith + np(a, SizeWord.MAYBE, r),
                        r -> "there is a " + np(a, SizeWord.ALWAYS, r),
                        r -> "a picture of a " + np(a, SizeWord.MAYBE, r));
            }
            case 2: {
                String line = scene.layout() == Scene.Layout.ROW ? "in a row" : "in a column";
                return List.of(
                        r -> "a " + related(scene, SizeWord.MAYBE, r),
                        r -> "there is a " + related(scene, SizeWord.MAYBE, r),
                        r -> "a picture of a " + related(scene, SizeWord.NEVER, r),
                        r -> "a " + related(scene, SizeWord.NEVER, r) + " " + bg,
                        r -> "two shapes : " + list(s, true, SizeWord.MAYBE, r),
                        r -> list(s, true, SizeWord.MAYBE, r) + " " + bg,
                        r -> "two shapes " + line + " " + bg);
            }
            default: {
                boolean row = scene.layout() == Scene.Layout.ROW;
                return List.of(
                        r -> "three shapes : " + list(s, true, SizeWord.NEVER, r),
                        r -> "there are three shapes : " + list(s, true, SizeWord.NEVER, r),
                        r -> list(s, false, SizeWord.NEVER, r)
                                + (row ? " from left to right" : " from top to bottom"),
                        r -> "three shapes " + (row ? "in a row" : "in a column") + " " + bg,
                        r -> "a " + related(scene, SizeWord.MAYBE, r),
                        r -> "there is a " + related(scene, SizeWord.MAYBE, r),
                        r -> {
                            boolean flip = r.nextBoolean();
                            return "a " + np(s.get(1), SizeWord.MAYBE, r) + " between a "
                                    + np(s.get(flip ? 2 : 0), SizeWord.MAYBE, r) + " and a "
                                    + np(s.get(flip ? 0 : 2), SizeWord.MAYBE, r);
                        });
            }
        }
    }

    /** "red circle left of a blue box": two distinct random shapes and their true relation. */
    private static String related(Scene scene, SizeWord size, SplittableRandom r) {
        int n = scene.shapes().size();
        int a = r.nextInt(n);
        int b = (a + 1 + r.nextInt(n - 1)) % n;
        Relation rel = scene.relation(a, b);
        return np(scene.shapes().get(a), size, r) + " " + pick(rel.phrases(), r) + " a "
                + np(scene.shapes().get(b), size, r);
    }

    /** "a red circle , a blue box and a green star", in layout order or shuffled. */
    private static String list(List<PlacedShape> shapes, boolean shuffle, SizeWord size,
            SplittableRandom r) {
        List<PlacedShape> order = new ArrayList<>(shapes);
        if (shuffle) {
            for (int i = order.size() - 1; i > 0; i--) {
                Collections.swap(order, i, r.nextInt(i + 1));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < order.size(); i++) {
            if (i > 0) {
                sb.append(i == order.size() - 1 ? " and " : " , ");
            }
            sb.append("a ").append(np(order.get(i), size, r));
        }
        return sb.toString();
    }

    /** The noun phrase "[size] colour kind" without an article. */
    private static String np(PlacedShape s, SizeWord size, SplittableRandom r) {
        boolean withSize = size == SizeWord.ALWAYS || (size == SizeWord.MAYBE && r.nextBoolean());
        String kind = pick(s.kind().words(), r);
        String noun = s.colour().word() + " " + kind;
        return withSize ? pick(s.size().words(), r) + " " + noun : noun;
    }

    private static String pick(List<String> options, SplittableRandom r) {
        return options.size() == 1 ? options.get(0) : options.get(r.nextInt(options.size()));
    }
}
