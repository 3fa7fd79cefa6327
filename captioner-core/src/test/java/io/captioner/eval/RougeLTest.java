package io.captioner.eval;

import static io.captioner.eval.TestData.refs;
import static io.captioner.eval.TestData.toks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.captioner.CaptionerException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RougeLTest {

    @Test
    void lcsCountsTheLongestCommonSubsequence() {
        // "a b c d e" and "a c e x": a, c, e in order -> 3; symmetric.
        assertThat(RougeL.lcs(toks("a b c d e"), toks("a c e x"))).isEqualTo(3);
        assertThat(RougeL.lcs(toks("a c e x"), toks("a b c d e"))).isEqualTo(3);
        assertThat(RougeL.lcs(toks("x y"), toks("a b"))).isZero();
        assertThat(RougeL.lcs(List.of(), toks("a b"))).isZero();
    }

    @Test
    void precisionAndRecallAreMaximisedOverReferencesSeparately() {
        // hyp "a cat on a mat" (5 words)
        // ref1 "the cat is on the mat" (6): LCS "cat on mat" = 3 -> P 3/5, R 3/6
        // ref2 "a cat" (2):               LCS "a cat" = 2      -> P 2/5, R 2/2
        // P = max = 0.6 (ref1), R = max = 1.0 (ref2)
        // F = (1 + 1.44) * 0.6 * 1.0 / (1.0 + 1.44 * 0.6) = 1.464 / 1.864 = 0.785408
        double f = RougeL.sentence(toks("a cat on a mat"), refs("the cat is on the mat", "a cat"));
        assertThat(f).isCloseTo(1.464 / 1.864, within(1e-12));
    }

    @Test
    void oneReferenceWithEqualPrecisionAndRecallGivesThatValue() {
        // hyp "the cat sat on the mat" vs "the cat is on the mat": LCS 5, P = R = 5/6 -> F = 5/6.
        assertThat(RougeL.sentence(toks("the cat sat on the mat"), refs("the cat is on the mat")))
                .isCloseTo(5.0 / 6, within(1e-12));
    }

    @Test
    void recallIsWeightedMoreThanPrecision() {
        // short hyp "a dog" vs "a dog runs on grass": P = 1, R = 0.4
        // F = 2.44 * 1 * 0.4 / (0.4 + 1.44 * 1) = 0.976 / 1.84 = 0.530435 (below the F1 of 0.571)
        double f = RougeL.sentence(toks("a dog"), refs("a dog runs on grass"));
        assertThat(f).isCloseTo(0.976 / 1.84, within(1e-12));
    }

    @Test
    void emptyHypothesisAndNoMatchScoreZero() {
        assertThat(RougeL.sentence(List.of(), refs("a dog"))).isZero();
        assertThat(RougeL.sentence(toks("red car"), refs("a dog", "two cats"))).isZero();
    }

    @Test
    void emptyReferenceDoesNotProduceNaN() {
        // an empty reference has LCS 0 -> P = R = 0 for it; the other reference decides.
        assertThat(RougeL.sentence(toks("a dog"), refs("", "a dog"))).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void corpusScoreIsTheMeanOfImages() {
        // A: identical -> 1.0; B: no match -> 0.0; mean 0.5
        TestData.Corpus c = new TestData.Corpus().add("A", "a dog", "a dog").add("B", "red car", "a cat");
        MetricResult r = RougeL.score(c.hyps, c.refs);
        assertThat(r.perImage()).containsEntry("A", 1.0).containsEntry("B", 0.0);
        assertThat(r.corpus()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void imageWithoutReferencesIsAnErrorNamingTheImage() {
        assertThatThrownBy(() -> RougeL.score(Map.of("42.jpg", toks("a dog")), Map.of("42.jpg", List.of())))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("42.jpg");
    }
}
