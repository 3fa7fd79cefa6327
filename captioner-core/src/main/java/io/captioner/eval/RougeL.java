package io.captioner.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ROUGE-L computed exactly as coco-caption's {@code Rouge} scorer does, on tokenised captions.
 *
 * <p>For one image with hypothesis c and references r_1..r_m, let L_i be the length of the longest
 * common subsequence of c and r_i (in tokens). Then
 *
 * <pre>
 *   P = max_i L_i / |c|,   R = max_i L_i / |r_i|   (each maximised on its own)
 *   F = (1 + β²) · P · R / (R + β² · P)  with β = 1.2,   or 0 if P or R is 0
 * </pre>
 *
 * <p>The corpus score is the mean of the images' F. An empty hypothesis scores 0; an empty
 * reference contributes precision and recall 0. Scores are in [0, 1]. Stateless and thread-safe.
 */
public final class RougeL {

    /** coco-caption's β, weighting recall over precision. */
    public static final double BETA = 1.2;

    private RougeL() {}

    /**
     * Returns the length of the longest common subsequence of two token lists.
     *
     * @param a one token list
     * @param b another token list
     * @return the LCS length in tokens; O(|a|·|b|) time, O(min) memory
     */
    public static int lcs(List<String> a, List<String> b) {
        List<String> longer = a.size() >= b.size() ? a : b;
        List<String> shorter = longer == a ? b : a;
        int[] prev = new int[shorter.size() + 1];
        int[] cur = new int[shorter.size() + 1];
        for (String x : longer) {
            for (int j = 1; j <= shorter.size(); j++) {
                cur[j] = x.equals(shorter.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[shorter.size()];
    }

    /**
     * Scores one image.
     *
     * @param hypothesis the hypothesis tokens
     * @param references each reference's tokens; at least one
     * @return ROUGE-L F in [0, 1]
     * @throws IllegalArgumentException if there is no reference
     */
    public static double sentence(List<String> hypothesis, List<List<String>> references) {
        if (references.isEmpty()) {
            throw new IllegalArgumentException("ROUGE-L needs at least one reference, found 0");
        }
        double precMax = 0;
        double recMax = 0;
        for (List<String> ref : references) {
            int l = lcs(hypothesis, ref);
            if (l > 0) {
                precMax = Math.max(precMax, l / (double) hypothesis.size());
                recMax = Math.max(recMax, l / (double) ref.size());
            }
        }
        if (precMax == 0 || recMax == 0) {
            return 0.0;
        }
        double b2 = BETA * BETA;
        return ((1 + b2) * precMax * recMax) / (recMax + b2 * precMax);
    }

    /**
     * Scores a corpus: each image's ROUGE-L and their mean.
     *
     * @param hypotheses image id to hypothesis tokens; the evaluated images
     * @param references image id to each reference's tokens; may hold images without hypothesis
     * @return the mean and per-image scores
     * @throws io.captioner.CaptionerException if there is no hypothesis, or a hypothesis's image has
     *     no references (the message names the image)
     */
    public static MetricResult score(Map<String, List<String>> hypotheses,
            Map<String, List<List<String>>> references) {
        Inputs.check(hypotheses, references);
        Map<String, Double> perImage = new LinkedHashMap<>();
        hypotheses.forEach((id, hyp) -> perImage.put(id, sentence(hyp, references.get(id))));
        return MetricResult.ofMean(perImage);
    }
}
