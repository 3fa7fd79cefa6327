package io.captioner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.captioner.CaptionerException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaptionEvaluatorTest {

    private static Map<String, String> hyps() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("1.jpg", "A dog runs on the grass.");
        h.put("2.jpg", "Two children play in a pool !");
        h.put("3.jpg", "A man in a red t-shirt climbs a rock");
        return h;
    }

    private static Map<String, List<String>> refs() {
        Map<String, List<String>> r = new LinkedHashMap<>();
        r.put("1.jpg", List.of("a dog running on grass .", "A brown dog runs through the grass ."));
        r.put("2.jpg", List.of("Two kids are playing in a swimming pool .", "Children splash in the pool"));
        r.put("3.jpg", List.of("A man in a red t-shirt is rock climbing .", "a climber on a cliff"));
        r.put("unscored.jpg", List.of("a cat sleeps"));
        return r;
    }

    @Test
    void tokenisesThenScoresWithAllThreeMetrics() {
        EvaluationResult r = CaptionEvaluator.evaluate(hyps(), refs());
        Map<String, List<String>> th = Map.of(
                "1.jpg", TestData.toks("a dog runs on the grass"),
                "2.jpg", TestData.toks("two children play in a pool"),
                "3.jpg", TestData.toks("a man in a red tshirt climbs a rock"));
        Map<String, List<List<String>>> tr = Map.of(
                "1.jpg", TestData.refs("a dog running on grass", "a brown dog runs through the grass"),
                "2.jpg", TestData.refs("two kids are playing in a swimming pool", "children splash in the pool"),
                "3.jpg", TestData.refs("a man in a red tshirt is rock climbing", "a climber on a cliff"));
        BleuResult bleu = Bleu.score(th, tr);
        assertThat(r.images()).isEqualTo(3);
        assertThat(r.bleuCounts()).isEqualTo(bleu.counts());
        assertThat(r.bleu1()).isEqualTo(bleu.bleu(1));
        assertThat(r.bleu4()).isEqualTo(bleu.bleu(4));
        assertThat(r.rougeL()).isCloseTo(RougeL.score(th, tr).corpus(), within(1e-15));
        assertThat(r.cider()).isCloseTo(CiderD.score(th, tr).corpus(), within(1e-12));
        assertThat(r.perImage().keySet()).containsExactly("1.jpg", "2.jpg", "3.jpg");
        assertThat(r.perImage().get("3.jpg").rougeL()).isEqualTo(RougeL.sentence(th.get("3.jpg"), tr.get("3.jpg")));
    }

    @Test
    void cocoScalesAreKept() {
        EvaluationResult r = CaptionEvaluator.evaluate(hyps(), refs());
        for (double v : new double[] {r.bleu1(), r.bleu2(), r.bleu3(), r.bleu4(), r.rougeL()}) {
            assertThat(v).isBetween(0.0, 1.0);
        }
        // identical captions: CIDEr-D per order 1 -> 10 on coco-caption's scale, not 1
        Map<String, String> h = Map.of("a", "one two three four five", "b", "six seven eight nine ten");
        Map<String, List<String>> ref = Map.of("a", List.of("one two three four five"),
                "b", List.of("six seven eight nine ten"));
        assertThat(CaptionEvaluator.evaluate(h, ref).cider()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void summaryHasTheCliKeys() {
        assertThat(CaptionEvaluator.evaluate(hyps(), refs()).summary())
                .containsOnlyKeys("bleu1", "bleu2", "bleu3", "bleu4", "rouge_l", "cider", "images")
                .containsEntry("images", 3);
    }

    @Test
    void hypothesisWithoutReferencesIsAnErrorNamingTheImage() {
        Map<String, String> h = new LinkedHashMap<>(hyps());
        h.put("ghost.jpg", "a ghost");
        assertThatThrownBy(() -> CaptionEvaluator.evaluate(h, refs()))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("ghost.jpg");
    }

    @Test
    void imageWithEmptyReferenceListIsAnErrorNamingTheImage() {
        Map<String, List<String>> r = new LinkedHashMap<>(refs());
        r.put("2.jpg", List.of());
        assertThatThrownBy(() -> CaptionEvaluator.evaluate(hyps(), r))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("2.jpg")
                .hasMessageContaining("found 0");
    }

    @Test
    void noHypothesesIsAnError() {
        assertThatThrownBy(() -> CaptionEvaluator.evaluate(Map.of(), refs()))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("0 images");
    }
}
