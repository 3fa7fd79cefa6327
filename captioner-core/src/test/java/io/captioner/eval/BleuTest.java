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

class BleuTest {

    @Test
    void cocoCaptionDemoCountsGiveItsPublishedScores() {
        // coco-caption's demo prints these counts and BLEU-1..4 = 0.5794 / 0.4044 / 0.2785 / 0.1908.
        // ratio = 9893 / 9855 > 1, so no brevity penalty; BLEU-1 = 5732 / 9893 = 0.57940.
        BleuCounts demo = new BleuCounts(9855, 9893,
                new long[] {9893, 8893, 7893, 6893}, new long[] {5732, 2510, 1043, 423});
        double[] s = Bleu.scores(demo);
        assertThat(round4(s[0])).isEqualTo(0.5794);
        assertThat(round4(s[1])).isEqualTo(0.4044);
        assertThat(round4(s[2])).isEqualTo(0.2785);
        assertThat(round4(s[3])).isEqualTo(0.1908);
    }

    @Test
    void countsClipToTheLargestCountInAnyOneReference() {
        // hyp "the cat sat on the mat" (6 words)
        // refs "the cat is on the mat" (6), "there is a cat on the mat" (7)
        // unigrams: the x2 (max in one ref: 2), cat 1, sat 0, on 1, mat 1        -> 5 of 6
        // bigrams: the cat, on the, the mat match; cat sat, sat on do not        -> 3 of 5
        // trigrams: only "on the mat"                                          -> 1 of 4
        // 4-grams: the cat sat on / cat sat on the / sat on the mat: none        -> 0 of 3
        // closest reference length to 6: 6
        BleuCounts c = Bleu.count(toks("the cat sat on the mat"),
                refs("the cat is on the mat", "there is a cat on the mat"));
        assertThat(c).isEqualTo(new BleuCounts(6, 6, new long[] {6, 5, 4, 3}, new long[] {5, 3, 1, 0}));
    }

    @Test
    void sentenceScoresFollowCocoCaptionArithmetic() {
        // Counts from the test above. p1 = 5/6, p2 = 3/5, p3 = 1/4, p4 = (0 + 1e-15) / (3 + 1e-9).
        // BLEU-1 = 5/6; BLEU-2 = sqrt(5/6 * 3/5) = sqrt(1/2); BLEU-3 = (1/8)^(1/3) = 1/2;
        // BLEU-4 = (1/8 * 1e-15/3)^(1/4) ~ 8.0e-5: tiny but not 0 (NLTK would give 0).
        // Equal lengths: ratio = (6 + 1e-15) / (6 + 1e-9) < 1, so BP = exp(1 - 1/ratio) ~ 1 - 1.7e-10.
        double[] s = Bleu.scores(Bleu.count(toks("the cat sat on the mat"),
                refs("the cat is on the mat", "there is a cat on the mat")));
        double bp = Math.exp(1 - (6 + 1e-9) / (6 + 1e-15));
        assertThat(bp).isLessThan(1.0).isGreaterThan(1 - 1e-9);
        // the clean values, to within the constants' effect
        assertThat(s[0]).isCloseTo(5.0 / 6, within(1e-9));
        assertThat(s[1]).isCloseTo(Math.sqrt(0.5), within(1e-9));
        assertThat(s[2]).isCloseTo(0.5, within(1e-9));
        // and exactly coco-caption's expression, constants included
        double p1 = (5 + 1e-15) / (6 + 1e-9);
        double p2 = (3 + 1e-15) / (5 + 1e-9);
        double p3 = (1 + 1e-15) / (4 + 1e-9);
        double p4 = (0 + 1e-15) / (3 + 1e-9);
        assertThat(s[0]).isCloseTo(p1 * bp, within(1e-15));
        assertThat(s[1]).isCloseTo(Math.pow(p1 * p2, 1.0 / 2) * bp, within(1e-15));
        assertThat(s[2]).isCloseTo(Math.pow(p1 * p2 * p3, 1.0 / 3) * bp, within(1e-15));
        assertThat(s[3]).isCloseTo(Math.pow(p1 * p2 * p3 * p4, 1.0 / 4) * bp, within(1e-18));
        assertThat(s[3]).isGreaterThan(0).isLessThan(1e-4);
    }

    @Test
    void repeatedWordIsClippedToItsReferenceCount() {
        // hyp "the the the the", ref "the cat": "the" occurs once in the ref -> correct1 = min(4, 1) = 1.
        BleuCounts c = Bleu.count(toks("the the the the"), refs("the cat"));
        assertThat(c.correct()[0]).isEqualTo(1);
        assertThat(c.guess()[0]).isEqualTo(4);
    }

    @Test
    void closestReferenceLengthTiesGoToTheShorter() {
        // hypothesis of 5 words; references of 4 and 6 words are both 1 away -> 4, in either order.
        List<String> hyp = toks("a b c d e");
        assertThat(Bleu.count(hyp, refs("x x x x x x", "y y y y")).reflen()).isEqualTo(4);
        assertThat(Bleu.count(hyp, refs("y y y y", "x x x x x x")).reflen()).isEqualTo(4);
        // references of different lengths: the closest one (7 vs 2 and 9) wins, not the first or shortest
        assertThat(Bleu.count(hyp, refs("a b", "a b c d e f g", "a b c d e f g h i")).reflen()).isEqualTo(7);
    }

    @Test
    void hypothesisShorterThanNUsesCocoConstantsAndBrevityPenalty() {
        // hyp "a dog" (2), ref "a dog runs on grass" (5): p1 = 2/2, p2 = 1/1,
        // p3 = p4 = (0 + 1e-15)/(0 + 1e-9) = 1e-6 (no 3- or 4-grams in the hypothesis).
        // BP = exp(1 - 1/ratio), ratio = (2 + 1e-15)/(5 + 1e-9) ~ 0.4 -> BP ~ exp(-1.5) = 0.22313.
        // BLEU-3 = (1e-6)^(1/3) * BP = 0.01 * BP; BLEU-4 = (1e-12)^(1/4) * BP = 0.001 * BP.
        BleuCounts c = Bleu.count(toks("a dog"), refs("a dog runs on grass"));
        assertThat(c).isEqualTo(new BleuCounts(5, 2, new long[] {2, 1, 0, 0}, new long[] {2, 1, 0, 0}));
        double[] s = Bleu.scores(c);
        double bp = Math.exp(-1.5);
        assertThat(s[0]).isCloseTo(bp, within(1e-9));
        assertThat(s[1]).isCloseTo(bp, within(1e-9));
        assertThat(s[2]).isCloseTo(0.01 * bp, within(1e-9));
        assertThat(s[3]).isCloseTo(0.001 * bp, within(1e-9));
    }

    @Test
    void emptyHypothesisScoresZero() {
        // testlen 0: ratio = 1e-15 / (3 + 1e-9) and BP = exp(1 - 3e15) underflows to exactly 0.
        BleuCounts c = Bleu.count(List.of(), refs("a dog runs"));
        assertThat(c).isEqualTo(new BleuCounts(3, 0, new long[4], new long[4]));
        assertThat(Bleu.scores(c)).containsExactly(0.0, 0.0, 0.0, 0.0);
    }

    @Test
    void noMatchingWordGivesScoresBelowOneInAMillion() {
        // hyp "red car" vs ref "a dog runs": correct = 0 for every order,
        // BLEU-1 = (1e-15 / 2) * exp(1 - 3/2) ~ 3e-16.
        double[] s = Bleu.scores(Bleu.count(toks("red car"), refs("a dog runs")));
        assertThat(s[0]).isCloseTo(1e-15 / 2 * Math.exp(-0.5), within(1e-20));
        for (double v : s) {
            assertThat(v).isBetween(0.0, 1e-6);
        }
    }

    @Test
    void singleIdenticalReferenceScoresOneUpToTheConstants() {
        // p_n = (k + 1e-15)/(k + 1e-9) and BP = exp(1 - (5 + 1e-9)/(5 + 1e-15)): each 1 - O(1e-9).
        double[] s = Bleu.scores(Bleu.count(toks("a dog runs on grass"), refs("a dog runs on grass")));
        for (double v : s) {
            assertThat(v).isLessThan(1.0).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void corpusScorePoolsCountsInsteadOfAveragingSentences() {
        // A: "a b" vs "a b" -> guess [2, 1, 0, 0], correct [2, 1, 0, 0];
        // B: "c d e f" vs "w x y z" -> guess [4, 3, 2, 1], correct 0.
        // Pooled BLEU-1 = (2 + 0) / (2 + 4) = 1/3 (lengths 6 = 6, BP ~ 1), while the mean of the
        // sentence scores would be (1 + 0) / 2 = 0.5.
        TestData.Corpus c = new TestData.Corpus().add("A", "a b", "a b").add("B", "c d e f", "w x y z");
        BleuResult r = Bleu.score(c.hyps, c.refs);
        assertThat(r.counts()).isEqualTo(new BleuCounts(6, 6, new long[] {6, 4, 2, 1}, new long[] {2, 1, 0, 0}));
        assertThat(r.bleu(1)).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(r.perImage().get("A").get(0)).isCloseTo(1.0, within(1e-9));
        assertThat(r.perImage().get("B").get(0)).isLessThan(1e-9);
        assertThat(r.perImage().keySet()).containsExactly("A", "B");
    }

    @Test
    void perImageScoresEqualScoresOfThatImagesCounts() {
        TestData.Corpus c = new TestData.Corpus()
                .add("A", "a man rides a horse", "a man riding a horse", "a person on a brown horse")
                .add("B", "two dogs play", "two dogs are playing in the snow");
        BleuResult r = Bleu.score(c.hyps, c.refs);
        for (String id : c.hyps.keySet()) {
            double[] expected = Bleu.scores(Bleu.count(c.hyps.get(id), c.refs.get(id)));
            assertThat(r.perImage().get(id)).containsExactly(expected[0], expected[1], expected[2], expected[3]);
        }
    }

    @Test
    void imageWithoutReferencesIsAnErrorNamingTheImage() {
        Map<String, List<String>> hyps = Map.of("1001.jpg", toks("a dog"));
        assertThatThrownBy(() -> Bleu.score(hyps, Map.of("1001.jpg", List.of())))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("1001.jpg");
        assertThatThrownBy(() -> Bleu.score(hyps, Map.of("other.jpg", refs("a dog"))))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("1001.jpg");
    }

    @Test
    void countsRejectInconsistentValues() {
        assertThatThrownBy(() -> new BleuCounts(1, 1, new long[] {1, 0, 0, 0}, new long[] {2, 0, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("order 1");
        assertThatThrownBy(() -> new BleuCounts(1, 1, new long[3], new long[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static double round4(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
