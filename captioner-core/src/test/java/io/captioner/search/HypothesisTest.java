package io.captioner.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.Caption;
import java.util.List;
import org.junit.jupiter.api.Test;

class HypothesisTest {

    private static final String[] WORDS = {"<pad>", "<start>", "<end>", "<unk>", "a", "dog", "runs"};

    @Test
    void fromBuffersSumsTheStepsAndDividesByTheGivenDivisor() {
        Hypothesis h = Hypothesis.of(new int[] {4, 5, 0}, new float[] {-1f, -0.5f, -0.25f, 9f}, 2,
                true, 3.0);
        assertThat(h.tokens()).containsExactly(4, 5);
        assertThat(h.stepLogProbs()).containsExactly(-1.0, -0.5, -0.25);
        assertThat(h.logProb()).isEqualTo(-1.75);
        assertThat(h.score()).isEqualTo(-1.75 / 3.0);
        assertThat(h.steps()).isEqualTo(3);
    }

    @Test
    void rejectsStepCountsThatDoNotMatchTheFinishedFlag() {
        assertThatThrownBy(() -> new Hypothesis(List.of(4, 5), List.of(-1.0, -1.0), -2, -2, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must have 3 entries").hasMessageContaining("found 2");
    }

    @Test
    void resultConvertsToACaptionWithAlternatives() {
        Hypothesis best = new Hypothesis(List.of(4, 5, 6), List.of(-1.0, -1.0, -0.5, -0.5), -3, -3,
                true);
        Hypothesis other = new Hypothesis(List.of(4, 5), List.of(-1.0, -1.0, -1.5), -3.5, -3.5,
                true);
        Caption caption = new SearchResult(List.of(best, other)).toCaption(id -> WORDS[id]);
        assertThat(caption.text()).isEqualTo("a dog runs");
        assertThat(caption.logProb()).isEqualTo(-3.0);
        assertThat(caption.tokenLogProbs()).hasSize(4);
        assertThat(caption.alternatives()).extracting(Caption::text).containsExactly("a dog");
    }

    @Test
    void unfinishedCaptionConvertsWithoutAnEndStep() {
        Hypothesis partial = new Hypothesis(List.of(4, 5), List.of(-1.0, -2.0), -3, -3, false);
        Caption caption = new SearchResult(List.of(partial)).toCaption(id -> WORDS[id]);
        assertThat(caption.tokens()).containsExactly("a", "dog");
        assertThat(caption.tokenLogProbs()).containsExactly(-1.0, -2.0);
        assertThat(caption.alternatives()).isEmpty();
    }

    @Test
    void emptyResultIsRejected() {
        assertThatThrownBy(() -> new SearchResult(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 0");
    }

    @Test
    void specialIdsMatchTheVocabulary() {
        assertThat(new int[] {TokenIds.PAD, TokenIds.START, TokenIds.END, TokenIds.UNK})
                .containsExactly(io.captioner.text.Vocabulary.PAD, io.captioner.text.Vocabulary.START,
                        io.captioner.text.Vocabulary.END, io.captioner.text.Vocabulary.UNK);
        assertThat(TokenIds.FIRST_WORD).isEqualTo(io.captioner.text.Vocabulary.SPECIALS.size());
    }

    @Test
    void searchResultMapsToACaptionThroughARealVocabulary() {
        io.captioner.text.Vocabulary vocabulary = io.captioner.text.Vocabulary.builder()
                .build(List.of(List.of("a", "dog", "runs"), List.of("a", "cat", "sits")));
        try (io.captioner.testing.FakeDecoder decoder = io.captioner.testing.FakeDecoder.random(
                vocabulary.size(), 2, 4, -1f)) {
            SearchResult result = new BeamSearch(io.captioner.DecodingOptions.builder()
                    .optBeamSize(3).optNBest(2).optMaxLength(6).build())
                    .decode(decoder, io.captioner.testing.FakeDecoder.feature(2, 1));
            Caption caption = result.toCaption(vocabulary::token);
            assertThat(caption.tokens()).isEqualTo(vocabulary.decode(result.best().tokenArray()));
            assertThat(caption.tokens()).isNotEmpty().allSatisfy(w ->
                    assertThat(io.captioner.text.Vocabulary.SPECIALS).doesNotContain(w));
            assertThat(caption.logProb()).isEqualTo(result.best().logProb());
            assertThat(caption.alternatives()).hasSize(result.hypotheses().size() - 1);
        }
    }
}
