package io.captioner.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The scores of a set of hypotheses against references, on coco-caption's scales: corpus BLEU-1..4
 * and ROUGE-L in [0, 1], CIDEr-D × 10 (as coco-caption prints it), plus each image's scores.
 *
 * <p>Corpus BLEU is computed from the summed counts ({@link #bleuCounts()}), not averaged over
 * images; corpus ROUGE-L and CIDEr-D are means of the per-image scores.
 *
 * @param bleu1 corpus BLEU-1
 * @param bleu2 corpus BLEU-2
 * @param bleu3 corpus BLEU-3
 * @param bleu4 corpus BLEU-4
 * @param rougeL mean ROUGE-L
 * @param cider mean CIDEr-D (× 10)
 * @param images the number of images evaluated
 * @param bleuCounts the corpus BLEU counts
 * @param perImage image id to its scores, in the hypotheses' order; unmodifiable
 */
public record EvaluationResult(
        double bleu1,
        double bleu2,
        double bleu3,
        double bleu4,
        double rougeL,
        double cider,
        int images,
        BleuCounts bleuCounts,
        Map<String, ImageScores> perImage) {

    /**
     * Copies the per-image map.
     *
     * @param bleu1 see the record description
     * @param bleu2 see the record description
     * @param bleu3 see the record description
     * @param bleu4 see the record description
     * @param rougeL see the record description
     * @param cider see the record description
     * @param images see the record description
     * @param bleuCounts see the record description
     * @param perImage see the record description
     * @throws IllegalArgumentException if {@code images} differs from the number of per-image
     *     entries
     */
    public EvaluationResult {
        perImage = Collections.unmodifiableMap(new LinkedHashMap<>(perImage));
        if (images != perImage.size()) {
            throw new IllegalArgumentException("images is " + images + " but perImage holds " + perImage.size());
        }
    }

    /**
     * Returns the corpus scores keyed as the CLI prints them: {@code bleu1}..{@code bleu4},
     * {@code rouge_l}, {@code cider}, {@code images}.
     *
     * @return an ordered, unmodifiable map of numbers
     */
    public Map<String, Number> summary() {
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("bleu1", bleu1);
        m.put("bleu2", bleu2);
        m.put("bleu3", bleu3);
        m.put("bleu4", bleu4);
        m.put("rouge_l", rougeL);
        m.put("cider", cider);
        m.put("images", images);
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "EvaluationResult[images=%d, bleu1=%.4f, bleu2=%.4f, bleu3=%.4f, bleu4=%.4f, rougeL=%.4f, cider=%.4f, %s]",
                images, bleu1, bleu2, bleu3, bleu4, rougeL, cider, bleuCounts);
    }
}
