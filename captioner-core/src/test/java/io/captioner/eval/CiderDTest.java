package io.captioner.eval;

import static io.captioner.eval.TestData.toks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.captioner.CaptionerException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CiderDTest {

    @Test
    void identicalTwoWordCaptionsScoreFiveBecauseOrdersThreeAndFourAreEmpty() {
        // 2 images, refLen = ln 2; every n-gram has df 1, so every weight is w = ln 2 - ln 1 = ln 2.
        // A: hyp = ref = "a b". Order 1: (w*w + w*w) / (sqrt2 w * sqrt2 w) = 1; order 2: 1;
        // orders 3, 4: no n-grams, norms 0, value 0. Length penalty exp(0) = 1.
        // CIDEr-D = 10 * (1 + 1 + 0 + 0) / 4 / 1 reference = 5.
        TestData.Corpus c = new TestData.Corpus().add("A", "a b", "a b").add("B", "c d", "c d");
        MetricResult r = CiderD.score(c.hyps, c.refs);
        assertThat(r.perImage().get("A")).isCloseTo(5.0, within(1e-12));
        assertThat(r.corpus()).isCloseTo(5.0, within(1e-12));
    }

    @Test
    void wordInEveryImagesReferencesHasZeroWeight() {
        // 3 images, refLen = ln 3. "a" is in all three reference sets: df 3, weight ln3 - ln3 = 0.
        // A: "a dog" vs "a dog": order 1 = (0 + ln3^2) / (ln3 * ln3) = 1, order 2 = 1 -> 5.
        // B: "a bird" vs "a cat": only "a" is shared, with weight 0 -> 0 (it would be > 0 if "a"
        //    counted). "bird" is in no reference: df max(1, 0) = 1, weight ln 3.
        // C: "a cow" vs "a cow" -> 5.  Mean = 10 / 3.
        TestData.Corpus c = new TestData.Corpus()
                .add("A", "a dog", "a dog").add("B", "a bird", "a cat").add("C", "a cow", "a cow");
        MetricResult r = CiderD.score(c.hyps, c.refs);
        assertThat(r.perImage().get("A")).isCloseTo(5.0, within(1e-12));
        assertThat(r.perImage().get("B")).isEqualTo(0.0);
        assertThat(r.corpus()).isCloseTo(10.0 / 3, within(1e-12));
    }

    @Test
    void lengthDifferenceIsPenalisedWithSigmaSix() {
        // 2 images, all weights w = ln 2.  A: hyp "a b" (2 words), ref "a b c d e f g h" (8 words).
        // Order 1: 2w^2 / (sqrt2 w * sqrt8 w) = 2/4 = 0.5.  Order 2: w^2 / (w * sqrt7 w) = 1/sqrt7.
        // Orders 3, 4: 0.  Lengths in bigrams 1 and 7: delta -6, penalty exp(-36 / 72) = exp(-0.5).
        // CIDEr-D = 10 * (0.5 + 1/sqrt7) * exp(-0.5) / 4 = 1.33128...
        TestData.Corpus c = new TestData.Corpus().add("A", "a b", "a b c d e f g h").add("B", "x y", "x y");
        double expected = 10 * (0.5 + 1 / Math.sqrt(7)) * Math.exp(-0.5) / 4;
        assertThat(CiderD.score(c.hyps, c.refs).perImage().get("A")).isCloseTo(expected, within(1e-12));
    }

    @Test
    void hypothesisTermFrequencyIsClippedByTheReferences() {
        // 2 images, weights w = ln 2.  A: hyp "a a", ref "a b".
        // Order 1: hyp {a: 2w}, ref {a: w, b: w}: min(2w, w) * w / (2w * sqrt2 w) = 1 / (2 sqrt2)
        // (without clipping it would be 2w*w / (2w * sqrt2 w) = 1/sqrt2).  Order 2: "a a" vs "a b" -> 0.
        // CIDEr-D = 10 * (1 / (2 sqrt2)) / 4 = 0.883883...
        TestData.Corpus c = new TestData.Corpus().add("A", "a a", "a b").add("B", "c d", "c d");
        assertThat(CiderD.score(c.hyps, c.refs).perImage().get("A"))
                .isCloseTo(10 / (2 * Math.sqrt(2)) / 4, within(1e-12));
    }

    @Test
    void scoresAreAveragedOverReferences() {
        // A: hyp "a b", refs "a b" (similarities 1, 1, 0, 0) and "c d" (all 0):
        // 10 * ((1 + 1) / 4) / 2 references = 2.5.
        TestData.Corpus c = new TestData.Corpus().add("A", "a b", "a b", "c d").add("B", "x y", "x y");
        assertThat(CiderD.score(c.hyps, c.refs).perImage().get("A")).isCloseTo(2.5, within(1e-12));
    }

    @Test
    void documentFrequencyIgnoresReferencesOfImagesWithoutHypothesis() {
        // Adding reference-only images must not change df or refLen: same result as without them.
        TestData.Corpus c = new TestData.Corpus().add("A", "a b", "a b").add("B", "a c", "a d");
        Map<String, List<List<String>>> moreRefs = new java.util.LinkedHashMap<>(c.refs);
        moreRefs.put("unscored1", TestData.refs("a b c d"));
        moreRefs.put("unscored2", TestData.refs("a b"));
        assertThat(CiderD.score(c.hyps, moreRefs)).isEqualTo(CiderD.score(c.hyps, c.refs));
    }

    @Test
    void singleImageScoresZeroBecauseEveryWeightIsZero() {
        // refLen = ln 1 = 0 and every df is 1 (or 0, clamped to 1): all weights are 0.
        TestData.Corpus c = new TestData.Corpus().add("A", "a dog runs", "a dog runs");
        assertThat(CiderD.score(c.hyps, c.refs).corpus()).isZero();
    }

    @Test
    void emptyHypothesisAndNoMatchScoreZero() {
        TestData.Corpus c = new TestData.Corpus().add("A", "", "a b").add("B", "x y", "c d").add("C", "e f", "e f");
        MetricResult r = CiderD.score(c.hyps, c.refs);
        assertThat(r.perImage().get("A")).isZero();
        assertThat(r.perImage().get("B")).isZero();
        assertThat(r.perImage().get("C")).isGreaterThan(0);
    }

    @Test
    void imageWithoutReferencesIsAnErrorNamingTheImage() {
        assertThatThrownBy(() -> CiderD.score(Map.of("7.jpg", toks("a")), Map.of("7.jpg", List.of())))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("7.jpg");
    }
}
