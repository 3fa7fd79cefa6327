package io.captioner.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CIDEr-D computed exactly as coco-caption's {@code Cider} scorer does (n = 1..4, σ = 6,
 * clipping, Gaussian length penalty, × 10), on tokenised captions.
 *
 * <p>The document frequency df(g) of an n-gram g is the number of evaluated images whose
 * reference set contains g (the references of images without a hypothesis do not count), and
 * {@code refLen = ln(number of evaluated images)}. A caption becomes, per order n, the vector of
 * {@code tf(g) · (refLen − ln(max(1, df(g))))}. For hypothesis h and reference r, per order n:
 *
 * <pre>
 *   s_n(h, r) = Σ_g min(v_h(g), v_r(g)) · v_r(g) / (‖v_h‖ · ‖v_r‖)   (no division if a norm is 0)
 *               · exp(−(len_h − len_r)² / (2σ²))
 *   CIDEr-D(image) = 10 · (1/m) Σ_r (1/4) Σ_n s_n(h, r)             over its m references
 * </pre>
 *
 * <p>The corpus score is the mean over images. As in coco-caption, the length in the penalty
 * is the caption's number of bigrams (word count − 1 for a non-empty caption), so the difference
 * of lengths is the word-count difference; it differs only when a caption is empty, and then the
 * similarity is 0 anyway. Because df and refLen come from the evaluated set, an image's score
 * depends on the other images scored with it; a single image always scores 0 (refLen = ln 1 = 0).
 * Scores are in [0, 10] (each per-order similarity is at most 1), on coco-caption's printed scale.
 *
 * <p>Tokens must not contain whitespace (coco-caption splits on it). Stateless and thread-safe.
 */
public final class CiderD {

    /** The highest n-gram order. */
    public static final int MAX_N = 4;
    /** The standard deviation σ of the Gaussian length penalty, in tokens. */
    public static final double SIGMA = 6.0;
    /** The factor coco-caption multiplies the score by. */
    public static final double SCALE = 10.0;

    private CiderD() {}

    /**
     * Scores a corpus: each image's CIDEr-D, with document frequencies taken from the evaluated
     * images' references, and their mean.
     *
     * @param hypotheses image id to hypothesis tokens; the evaluated images
     * @param references image id to each reference's tokens; may hold images without hypothesis,
     *     which are ignored (also for document frequencies)
     * @return the mean and per-image scores, on coco-caption's × 10 scale
     * @throws io.captioner.CaptionerException if there is no hypothesis, or a hypothesis's image has
     *     no references (the message names the image)
     */
    public static MetricResult score(Map<String, List<String>> hypotheses,
            Map<String, List<List<String>>> references) {
        Inputs.check(hypotheses, references);

        Map<String, List<List<Map<String, Integer>>>> refCounts = new LinkedHashMap<>();
        Map<String, Integer> df = new HashMap<>();
        for (String id : hypotheses.keySet()) {
            List<List<Map<String, Integer>>> counts = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (List<String> ref : references.get(id)) {
                List<Map<String, Integer>> c = Inputs.ngrams(ref, MAX_N);
                counts.add(c);
                for (Map<String, Integer> order : c) {
                    seen.addAll(order.keySet());
                }
            }
            refCounts.put(id, counts);
            for (String gram : seen) {
                df.merge(gram, 1, Integer::sum);
            }
        }
        double refLen = Math.log(hypotheses.size());

        Map<String, Double> perImage = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : hypotheses.entrySet()) {
            TfIdf hyp = new TfIdf(Inputs.ngrams(e.getValue(), MAX_N), df, refLen);
            double[] sum = new double[MAX_N];
            List<List<Map<String, Integer>>> refs = refCounts.get(e.getKey());
            for (List<Map<String, Integer>> refNgrams : refs) {
                TfIdf ref = new TfIdf(refNgrams, df, refLen);
                double[] s = similarity(hyp, ref);
                for (int n = 0; n < MAX_N; n++) {
                    sum[n] += s[n];
                }
            }
            double mean = 0;
            for (int n = 0; n < MAX_N; n++) {
                mean += sum[n];
            }
            mean /= MAX_N;
            perImage.put(e.getKey(), mean / refs.size() * SCALE);
        }
        return MetricResult.ofMean(perImage);
    }

    private static double[] similarity(TfIdf hyp, TfIdf ref) {
        double delta = hyp.length - ref.length;
        double penalty = Math.exp(-(delta * delta) / (2 * SIGMA * SIGMA));
        double[] val = new double[MAX_N];
        for (int n = 0; n < MAX_N; n++) {
            Map<String, Double> r = ref.vec.get(n);
            double v = 0;
            for (Map.Entry<String, Double> g : hyp.vec.get(n).entrySet()) {
                double rv = r.getOrDefault(g.getKey(), 0.0);
                v += Math.min(g.getValue(), rv) * rv;
            }
            if (hyp.norm[n] != 0 && ref.norm[n] != 0) {
                v /= hyp.norm[n] * ref.norm[n];
            }
            val[n] = v * penalty;
        }
        return val;
    }

    /** A caption's tf-idf vectors per order, their norms, and its bigram count. */
    private static final class TfIdf {
        final List<Map<String, Double>> vec = new ArrayList<>(MAX_N);
        final double[] norm = new double[MAX_N];
        final int length;

        TfIdf(List<Map<String, Integer>> counts, Map<String, Integer> df, double refLen) {
            int bigrams = 0;
            for (int n = 0; n < MAX_N; n++) {
                Map<String, Double> v = new LinkedHashMap<>();
                double sq = 0;
                for (Map.Entry<String, Integer> g : counts.get(n).entrySet()) {
                    double idf = refLen - Math.log(Math.max(1.0, df.getOrDefault(g.getKey(), 0)));
                    double w = g.getValue() * idf;
                    v.put(g.getKey(), w);
                    sq += w * w;
                    if (n == 1) {
                        bigrams += g.getValue();
                    }
                }
                vec.add(v);
                norm[n] = Math.sqrt(sq);
            }
            length = bigrams;
        }
    }
}
