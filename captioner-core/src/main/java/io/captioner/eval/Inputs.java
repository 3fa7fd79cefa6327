package io.captioner.eval;

import io.captioner.CaptionerException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Checks shared by the metrics: every hypothesis has a non-empty reference set. */
final class Inputs {

    private Inputs() {}

    /**
     * Validates tokenised hypotheses against tokenised references.
     *
     * @param hypotheses image id to hypothesis tokens
     * @param references image id to the tokens of each reference caption
     * @throws CaptionerException if there is no hypothesis, or an image has no references
     */
    static void check(Map<String, List<String>> hypotheses, Map<String, List<List<String>>> references) {
        Objects.requireNonNull(hypotheses, "hypotheses");
        Objects.requireNonNull(references, "references");
        if (hypotheses.isEmpty()) {
            throw new CaptionerException("hypotheses: nothing to evaluate, found 0 images");
        }
        for (Map.Entry<String, List<String>> e : hypotheses.entrySet()) {
            String id = e.getKey();
            Objects.requireNonNull(id, "hypotheses: null image id");
            Objects.requireNonNull(e.getValue(), () -> "hypothesis of image '" + id + "' is null");
            List<List<String>> refs = references.get(id);
            if (refs == null) {
                throw new CaptionerException("image '" + id
                        + "': has a hypothesis but no references (the id is absent from the references)");
            }
            if (refs.isEmpty()) {
                throw new CaptionerException("image '" + id
                        + "': every image needs at least one reference caption, found 0");
            }
            for (List<String> ref : refs) {
                Objects.requireNonNull(ref, () -> "a reference of image '" + id + "' is null");
            }
        }
    }

    /**
     * Counts the n-grams of orders 1..maxN of a token list, in order of first occurrence.
     *
     * @param tokens the words
     * @param maxN the highest n-gram order
     * @return one map per order (index n-1), n-gram (words joined by a space) to its count
     */
    static List<Map<String, Integer>> ngrams(List<String> tokens, int maxN) {
        List<Map<String, Integer>> out = new java.util.ArrayList<>(maxN);
        for (int n = 1; n <= maxN; n++) {
            Map<String, Integer> counts = new java.util.LinkedHashMap<>();
            for (int i = 0; i + n <= tokens.size(); i++) {
                String gram = n == 1 ? tokens.get(i) : String.join(" ", tokens.subList(i, i + n));
                counts.merge(gram, 1, Integer::sum);
            }
            out.add(counts);
        }
        return out;
    }
}
