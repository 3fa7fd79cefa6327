package io.captioner.data.synthetic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether captions of synthetic scenes bind each colour to the right shape, which BLEU cannot tell:
 * a caption that names no shape, or pairs a colour with the wrong shape, can still share most of
 * its n-grams with the references.
 *
 * <p>A <em>mention</em> is a colour word directly followed by a shape word ("purple cross"; a size
 * word may come before the colour), read from the caption's lower-cased whitespace tokens with the
 * dataset's own words ({@link Colour#word()}, {@link ShapeKind#words()}).
 *
 * @param captions the number of captions scored
 * @param pairsNamed colour–shape mentions over all captions
 * @param pairPrecision the share of those mentions whose pair is in the caption's scene (NaN when
 *     there is none)
 * @param heldOutPresent held-out pairs present in the scenes, counted once per scene
 * @param heldOutPairRecall the share of those that the scene's caption names (NaN when none is
 *     present)
 * @param shapeCaptionShare the share of captions that name at least one shape, with or without a
 *     colour
 */
public record BindingScores(int captions, int pairsNamed, double pairPrecision, int heldOutPresent,
        double heldOutPairRecall, double shapeCaptionShare) {

    private static final Map<String, Colour> COLOURS = new HashMap<>();
    private static final Map<String, ShapeKind> KINDS = new HashMap<>();

    static {
        for (Colour c : Colour.values()) {
            COLOURS.put(c.word(), c);
        }
        for (ShapeKind k : ShapeKind.values()) {
            for (String w : k.words()) {
                KINDS.put(w, k);
            }
        }
    }

    /**
     * Reads the colour–shape pairs a caption names, in order.
     *
     * @param caption the caption, any case
     * @return the pairs, one per mention (repeats kept)
     */
    public static List<ColouredShape> mentions(String caption) {
        String[] tokens = caption.toLowerCase(Locale.ROOT).trim().split("\\s+");
        List<ColouredShape> out = new ArrayList<>();
        for (int i = 0; i + 1 < tokens.length; i++) {
            Colour colour = COLOURS.get(tokens[i]);
            ShapeKind kind = KINDS.get(tokens[i + 1]);
            if (colour != null && kind != null) {
                out.add(ColouredShape.of(colour, kind));
            }
        }
        return out;
    }

    /**
     * Tells whether a caption names a shape at all.
     *
     * @param caption the caption, any case
     * @return true if one of its tokens is a shape word
     */
    public static boolean namesAShape(String caption) {
        for (String t : caption.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
            if (KINDS.containsKey(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Scores captions against the scenes they describe.
     *
     * @param scenes one scene per caption
     * @param captions one caption per scene, in the same order
     * @param heldOut the pairs kept out of training (for example {@link
     *     SyntheticDataset#heldOutPairs()})
     * @return the scores
     * @throws IllegalArgumentException if the lists differ in length
     */
    public static BindingScores score(List<Scene> scenes, List<String> captions, Collection<ColouredShape> heldOut) {
        if (scenes.size() != captions.size()) {
            throw new IllegalArgumentException("one caption per scene needed: " + scenes.size() + " scenes, found "
                    + captions.size() + " captions");
        }
        Set<ColouredShape> held = Set.copyOf(heldOut);
        int named = 0;
        int correct = 0;
        int present = 0;
        int recalled = 0;
        int withShape = 0;
        for (int i = 0; i < scenes.size(); i++) {
            Set<ColouredShape> truth = new HashSet<>();
            for (PlacedShape s : scenes.get(i).shapes()) {
                truth.add(s.pair());
            }
            List<ColouredShape> said = mentions(captions.get(i));
            named += said.size();
            for (ColouredShape p : said) {
                if (truth.contains(p)) {
                    correct++;
                }
            }
            for (ColouredShape p : truth) {
                if (held.contains(p)) {
                    present++;
                    if (said.contains(p)) {
                        recalled++;
                    }
                }
            }
            if (namesAShape(captions.get(i))) {
                withShape++;
            }
        }
        return new BindingScores(captions.size(), named, named == 0 ? Double.NaN : (double) correct / named,
                present, present == 0 ? Double.NaN : (double) recalled / present,
                captions.isEmpty() ? Double.NaN : (double) withShape / captions.size());
    }
}
