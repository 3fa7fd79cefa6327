package io.captioner.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BLEU-1..4 computed exactly as coco-caption's {@code Bleu(4)} scorer does (option
 * {@code "closest"}), on tokenised captions.
 *
 * <p>Per image, the hypothesis's n-grams (n = 1..4) are counted; each count is clipped to the
 * largest count of that n-gram in any single reference; the effective reference length is the
 * length of the reference closest in length to the hypothesis, ties going to the shorter one. The
 * corpus score sums these counts over images ({@link BleuCounts}) and then, for k = 1..4:
 *
 * <pre>
 *   p_n    = (correct_n + 1e-15) / (guess_n + 1e-9)
 *   BLEU-k = (p_1 · … · p_k)^(1/k) · BP,   ratio = (testlen + 1e-15) / (reflen + 1e-9),
 *   BP     = exp(1 - 1/ratio) if ratio &lt; 1, else 1
 * </pre>
 *
 * <p>The constants keep the arithmetic finite: an order with no hypothesis n-grams gives
 * {@code p_n = 1e-6} rather than 0/0, and an order with no matches gives a tiny but non-zero
 * BLEU-k (NLTK's {@code corpus_bleu} gives exactly 0 there). Per-image ("sentence") BLEU applies the
 * same formula to one image's counts, as coco-caption's per-image list does. Scores are in [0, 1]
 * (not percentages).
 *
 * <p>Tokens must not contain whitespace (coco-caption splits on it). Stateless and thread-safe.
 */
public final class Bleu {

    /** The highest n-gram order, 4 as in coco-caption's {@code Bleu(4)}. */
    public static final int MAX_N = 4;
    /** coco-caption's {@code tiny}, added to each numerator and to the hypothesis length. */
    public static final double TINY = 1e-15;
    /** coco-caption's {@code small}, added to each denominator and to the reference length. */
    public static final double SMALL = 1e-9;

    private Bleu() {}

    /**
     * Counts one image's BLEU statistics.
     *
     * @param hypothesis the hypothesis tokens, possibly empty
     * @param references the tokens of each reference caption; at least one
     * @return reflen (closest reference length, ties to the shorter), testlen, guess and clipped
     *     correct counts for orders 1..4
     * @throws IllegalArgumentException if there is no reference
     */
    public static BleuCounts count(List<String> hypothesis, List<List<String>> references) {
        if (references.isEmpty()) {
            throw new IllegalArgumentException("BLEU needs at least one reference, found 0");
        }
        Map<String, Integer> maxRefCounts = new java.util.HashMap<>();
        int testlen = hypothesis.size();
        int closest = -1;
        for (List<String> ref : references) {
            for (Map<String, Integer> order : Inputs.ngrams(ref, MAX_N)) {
                order.forEach((gram, c) -> maxRefCounts.merge(gram, c, Math::max));
            }
            int len = ref.size();
            if (closest < 0) {
                closest = len;
            } else {
                int d = Math.abs(len - testlen);
                int best = Math.abs(closest - testlen);
                if (d < best || (d == best && len < closest)) {
                    closest = len;
                }
            }
        }
        long[] guess = new long[MAX_N];
        long[] correct = new long[MAX_N];
        List<Map<String, Integer>> hyp = Inputs.ngrams(hypothesis, MAX_N);
        for (int n = 1; n <= MAX_N; n++) {
            guess[n - 1] = Math.max(0, testlen - n + 1);
            long matched = 0;
            for (Map.Entry<String, Integer> e : hyp.get(n - 1).entrySet()) {
                matched += Math.min(e.getValue(), maxRefCounts.getOrDefault(e.getKey(), 0));
            }
            correct[n - 1] = matched;
        }
        return new BleuCounts(closest, testlen, guess, correct);
    }

    /**
     * Computes BLEU-1..4 from counts with coco-caption's formula (see the class comment).
     *
     * <p>Works for one image's counts (sentence BLEU) and for a corpus's summed counts alike.
     *
     * @param counts the BLEU statistics
     * @return four scores in [0, 1]: index k-1 is BLEU-k
     */
    public static double[] scores(BleuCounts counts) {
        long[] guess = counts.guess();
        long[] correct = counts.correct();
        double[] bleus = new double[MAX_N];
        double product = 1.0;
        for (int k = 0; k < MAX_N; k++) {
            product *= (correct[k] + TINY) / (guess[k] + SMALL);
            bleus[k] = Math.pow(product, 1.0 / (k + 1));
        }
        double ratio = (counts.testlen() + TINY) / (counts.reflen() + SMALL);
        if (ratio < 1) {
            double penalty = Math.exp(1 - 1 / ratio);
            for (int k = 0; k < MAX_N; k++) {
                bleus[k] *= penalty;
            }
        }
        return bleus;
    }

    /**
     * Scores a corpus: corpus BLEU-1..4 from the summed counts, and each image's own BLEU-1..4.
     *
     * @param hypotheses image id to hypothesis tokens; the evaluated images, in the order of
     *     the per-image map returned
     * @param references image id to each reference's tokens; may hold images without hypothesis
     * @return corpus scores, summed counts and per-image scores
     * @throws io.captioner.CaptionerException if there is no hypothesis, or a hypothesis's image has
     *     no references (the message names the image)
     */
    public static BleuResult score(Map<String, List<String>> hypotheses, Map<String, List<List<String>>> references) {
        Inputs.check(hypotheses, references);
        BleuCounts total = BleuCounts.ZERO;
        Map<String, List<Double>> perImage = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : hypotheses.entrySet()) {
            BleuCounts c = count(e.getValue(), references.get(e.getKey()));
            total = total.plus(c);
            perImage.put(e.getKey(), toList(scores(c)));
        }
        return new BleuResult(toList(scores(total)), total, Collections.unmodifiableMap(perImage));
    }

    private static List<Double> toList(double[] values) {
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return List.of(boxed);
    }
}
