package io.captioner.eval;

import io.captioner.CaptionerException;
import io.captioner.text.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores generated captions against reference captions with BLEU-1..4, ROUGE-L and CIDEr-D as
 * coco-caption computes them.
 *
 * <p>Captions are tokenised with {@link Tokenizer#standard()} (lowercase, punctuation dropped),
 * standing in for coco-caption's PTB tokenisation step; see the package documentation for where
 * the two differ. The evaluated images are the hypotheses' images; the references may cover more
 * images (a whole dataset), which are ignored. Stateless and thread-safe.
 */
public final class CaptionEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(CaptionEvaluator.class);

    private CaptionEvaluator() {}

    /**
     * Tokenises and scores captions.
     *
     * @param hypotheses image id to the generated caption (one per image)
     * @param references image id to its reference captions
     * @return corpus and per-image scores, per-image in the hypotheses' order
     * @throws CaptionerException if there are no hypotheses, or a hypothesis's image id is absent
     *     from the references or has an empty reference list (the message names the image id)
     */
    public static EvaluationResult evaluate(Map<String, String> hypotheses, Map<String, List<String>> references) {
        Objects.requireNonNull(hypotheses, "hypotheses");
        Objects.requireNonNull(references, "references");
        Tokenizer tokenizer = Tokenizer.standard();
        Map<String, List<String>> hyps = new LinkedHashMap<>();
        Map<String, List<List<String>>> refs = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : hypotheses.entrySet()) {
            String id = e.getKey();
            Objects.requireNonNull(e.getValue(), () -> "hypothesis of image '" + id + "' is null");
            hyps.put(id, tokenizer.tokenize(e.getValue()));
            List<String> rs = references.get(id);
            if (rs != null) {
                List<List<String>> tokenized = new ArrayList<>(rs.size());
                for (String r : rs) {
                    Objects.requireNonNull(r, () -> "a reference of image '" + id + "' is null");
                    tokenized.add(tokenizer.tokenize(r));
                }
                refs.put(id, tokenized);
            }
        }
        return evaluateTokens(hyps, refs);
    }

    /**
     * Scores captions that are already tokenised (tokens without whitespace).
     *
     * @param hypotheses image id to the hypothesis tokens
     * @param references image id to each reference's tokens
     * @return corpus and per-image scores, per-image in the hypotheses' order
     * @throws CaptionerException if there are no hypotheses, or a hypothesis's image id is absent
     *     from the references or has an empty reference list (the message names the image id)
     */
    public static EvaluationResult evaluateTokens(Map<String, List<String>> hypotheses,
            Map<String, List<List<String>>> references) {
        Inputs.check(hypotheses, references);
        BleuResult bleu = Bleu.score(hypotheses, references);
        MetricResult rouge = RougeL.score(hypotheses, references);
        MetricResult cider = CiderD.score(hypotheses, references);
        Map<String, ImageScores> perImage = new LinkedHashMap<>();
        for (String id : hypotheses.keySet()) {
            List<Double> b = bleu.perImage().get(id);
            perImage.put(id, new ImageScores(b.get(0), b.get(1), b.get(2), b.get(3),
                    rouge.perImage().get(id), cider.perImage().get(id)));
        }
        EvaluationResult result = new EvaluationResult(bleu.bleu(1), bleu.bleu(2), bleu.bleu(3), bleu.bleu(4),
                rouge.corpus(), cider.corpus(), hypotheses.size(), bleu.counts(), perImage);
        LOG.debug("{}", result);
        return result;
    }
}
