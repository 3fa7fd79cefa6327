package io.captioner.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.data.Split;
import io.captioner.eval.CaptionEvaluator;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How far BLEU can go on the synthetic test split: a model that always gave the grammar's most
 * probable caption for the true scene would score what {@link #modeCaptions} scores. The quickstart
 * target (BLEU-4 0.70) is only meaningful while this ceiling stays well above it, and the leave-one-out
 * score shows why greedy captions, which rarely hit a reference's exact wording, score far lower.
 */
class ReferenceAgreementTest {

    private static final SyntheticDataset DATASET = SyntheticDataset.builder().optImages(2000).optSeed(42).build();
    private static final int DRAWS = 1000;

    @Tag("slow")
    @Test
    void mostProbableTrueCaptionScoresWellAboveTheQuickstartTarget() {
        Map<String, String> hypotheses = new LinkedHashMap<>();
        Map<String, List<String>> references = new LinkedHashMap<>();
        modeCaptions(hypotheses, references);
        double bleu4 = CaptionEvaluator.evaluate(hypotheses, references).bleu4();
        System.out.printf("synthetic test split: BLEU-4 of the most probable true caption %.4f%n", bleu4);
        assertThat(bleu4).isGreaterThan(0.75);
    }

    @Test
    void oneReferenceAgainstTheOtherFourScoresFarLowerThanTheMostProbableCaption() {
        Map<String, String> hypotheses = new LinkedHashMap<>();
        Map<String, List<String>> references = new LinkedHashMap<>();
        for (int i = 0; i < DATASET.images(); i++) {
            if (DATASET.split(i) == Split.TEST) {
                List<String> captions = DATASET.captions(i);
                hypotheses.put("i" + i, captions.get(0));
                references.put("i" + i, captions.subList(1, captions.size()));
            }
        }
        double leaveOneOut = CaptionEvaluator.evaluate(hypotheses, references).bleu4();
        Map<String, String> mode = new LinkedHashMap<>();
        Map<String, List<String>> all = new LinkedHashMap<>();
        modeCaptions(mode, all);
        double ceiling = CaptionEvaluator.evaluate(mode, all).bleu4();
        System.out.printf("synthetic test split: BLEU-4 of one reference against the other four %.4f%n",
                leaveOneOut);
        assertThat(leaveOneOut).isBetween(0.2, ceiling - 0.2);
    }

    /** For each test image, the caption the grammar writes most often for its scene. */
    private static void modeCaptions(Map<String, String> hypotheses, Map<String, List<String>> references) {
        for (int i = 0; i < DATASET.images(); i++) {
            if (DATASET.split(i) != Split.TEST) {
                continue;
            }
            Scene scene = DATASET.scene(i);
            Map<String, Integer> counts = new HashMap<>();
            SplittableRandom rng = new SplittableRandom(i);
            for (int k = 0; k < DRAWS; k++) {
                counts.merge(CaptionGrammar.captions(scene, rng, 1).get(0), 1, Integer::sum);
            }
            hypotheses.put("i" + i, Collections.max(counts.entrySet(), Map.Entry.comparingByValue()).getKey());
            references.put("i" + i, DATASET.captions(i));
        }
    }
}
