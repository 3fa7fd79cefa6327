package io.captioner.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.AttentionWeights;
import io.captioner.Caption;
import io.captioner.CaptionDecoder;
import io.captioner.CaptionerException;
import io.captioner.DecoderState;
import io.captioner.DecodingOptions;
import io.captioner.testing.FakeDecoder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Attention weights carried through greedy, beam and sampling search, on request only. */
class AttentionSearchTest {

    private static final int V = 25;
    private static final int H = 2;
    private static final int W = 3;
    /** Two channels per location. */
    private static final int D = H * W * 2;

    private static DecodingOptions options(DecodingOptions.Strategy strategy, boolean attention) {
        return DecodingOptions.builder().optStrategy(strategy).optBeamSize(4).optNBest(3).optMaxLength(9)
                .optSeed(5).optAttention(attention).build();
    }

    private static float[][] features(int n) {
        float[][] f = new float[n][];
        for (int i = 0; i < n; i++) {
            f[i] = FakeDecoder.feature(D, 100 + i);
        }
        return f;
    }

    /**
     * Asserts each word's row equals the weights the fake gives for the history that preceded it:
     * what the step that emitted the word reported, whatever reordering happened in between.
     */
    private static void assertRowsFollowTheCaptionsOwnHistory(FakeDecoder decoder, float[] feature,
            Hypothesis h) {
        AttentionWeights a = h.attention();
        assertThat(a.tokens()).isEqualTo(h.tokens().size());
        assertThat(a.height()).isEqualTo(H);
        assertThat(a.width()).isEqualTo(W);
        int[] history = new int[h.tokens().size()];
        history[0] = TokenIds.START;
        for (int i = 0; i < h.tokens().size(); i++) {
            int[] prefix = new int[i + 1];
            prefix[0] = TokenIds.START;
            for (int j = 0; j < i; j++) {
                prefix[j + 1] = h.tokens().get(j);
            }
            assertThat(a.weights(i)).as("token %d of %s", i, h).containsExactly(decoder.attention(feature, prefix));
        }
    }

    @ParameterizedTest
    @EnumSource(DecodingOptions.Strategy.class)
    void everyHypothesisCarriesTheWeightsOfTheStepsThatEmittedItsWords(DecodingOptions.Strategy strategy) {
        float[][] features = features(5);
        try (FakeDecoder decoder = FakeDecoder.random(V, D, 7, -0.5f).withAttention(H, W)) {
            List<SearchResult> results = CaptionSearch.of(options(strategy, true)).decode(decoder, features);
            int checked = 0;
            for (int i = 0; i < features.length; i++) {
                for (Hypothesis h : results.get(i).hypotheses()) {
                    assertRowsFollowTheCaptionsOwnHistory(decoder, features[i], h);
                    checked += h.tokens().size();
                }
            }
            assertThat(checked).isGreaterThan(10);
            assertThat(decoder.openStates()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(DecodingOptions.Strategy.class)
    void askingForAttentionChangesNoCaptionAndNoScore(DecodingOptions.Strategy strategy) {
        float[][] features = features(4);
        try (FakeDecoder decoder = FakeDecoder.random(V, D, 9, -0.5f).withAttention(H, W)) {
            List<SearchResult> with = CaptionSearch.of(options(strategy, true)).decode(decoder, features);
            List<SearchResult> without = CaptionSearch.of(options(strategy, false)).decode(decoder, features);
            for (int i = 0; i < features.length; i++) {
                assertThat(with.get(i).hypotheses()).hasSameSizeAs(without.get(i).hypotheses());
                for (int j = 0; j < with.get(i).hypotheses().size(); j++) {
                    Hypothesis a = with.get(i).hypotheses().get(j);
                    Hypothesis b = without.get(i).hypotheses().get(j);
                    assertThat(a.tokens()).isEqualTo(b.tokens());
                    assertThat(a.stepLogProbs()).isEqualTo(b.stepLogProbs());
                    assertThat(b.attention().isEmpty()).isTrue();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DecodingOptions.Strategy.class)
    void withoutTheOptionNoWeightIsComputedOrKept(DecodingOptions.Strategy strategy) {
        try (FakeDecoder decoder = FakeDecoder.random(V, D, 3, -0.5f).withAttention(H, W)) {
            List<SearchResult> results = CaptionSearch.of(options(strategy, false)).decode(decoder, features(3));
            assertThat(decoder.attentionRowsComputed()).isZero();
            for (SearchResult r : results) {
                assertThat(r.toCaption(id -> "w" + id).attention()).isEqualTo(AttentionWeights.empty());
            }
        }
    }

    @Test
    void captionsAndTheirAlternativesCarryTheirOwnWeightsWithTheMapShape() {
        float[] feature = FakeDecoder.feature(D, 4);
        try (FakeDecoder decoder = FakeDecoder.random(V, D, 11, -1f).withAttention(H, W)) {
            SearchResult result = new BeamSearch(options(DecodingOptions.Strategy.BEAM, true))
                    .decode(decoder, feature);
            Caption caption = result.toCaption(id -> "w" + id);
            assertThat(caption.alternatives()).isNotEmpty();
            assertThat(caption.attention()).isEqualTo(result.best().attention());
            assertThat(caption.attention().tokens()).isEqualTo(caption.tokens().size());
            assertThat(caption.attention().grid(0)).hasDimensions(H, W);
            for (int i = 0; i < caption.alternatives().size(); i++) {
                Caption alternative = caption.alternatives().get(i);
                assertThat(alternative.attention()).isEqualTo(result.hypotheses().get(i + 1).attention());
                assertThat(alternative.attention().tokens()).isEqualTo(alternative.tokens().size());
            }
        }
    }

    @Test
    void askingADecoderWithoutAttentionFailsNamingTheDecoderBeforeAnyState() {
        try (FakeDecoder decoder = FakeDecoder.random(V, D, 1)) {
            assertThatThrownBy(() -> new GreedySearch(options(DecodingOptions.Strategy.GREEDY, true))
                    .decode(decoder, features(2)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("attention weights were requested (DecodingOptions.attention)")
                    .hasMessageContaining("decoder FakeDecoder (feature shape [12]) has no attention");
            assertThat(decoder.statesCreated()).isZero();
        }
    }

    @Test
    void theDefaultStartRefusesAttentionForADecoderWithoutIt() {
        FakeDecoder fake = FakeDecoder.random(V, D, 1);
        CaptionDecoder plain = new CaptionDecoder() {
            @Override
            public int vocabularySize() {
                return V;
            }

            @Override
            public int featureSize() {
                return D;
            }

            @Override
            public DecoderState start(float[][] features) {
                return fake.start(features);
            }

            @Override
            public Step step(DecoderState state, int[] previousTokens) {
                return fake.step(state, previousTokens);
            }

            @Override
            public DecoderState select(DecoderState state, int[] rows) {
                return fake.select(state, rows);
            }

            @Override
            public void close() {}
        };
        assertThat(plain.hasAttention()).isFalse();
        assertThat(plain.featureShape()).containsExactly(D);
        assertThatThrownBy(() -> plain.start(features(1), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no attention");
        assertThat(fake.statesCreated()).isZero();
    }

    @Test
    void weightsOfTheWrongLengthAreReportedWithTheStep() {
        FakeDecoder fake = FakeDecoder.random(V, D, 1).withAttention(H, W);
        CaptionDecoder wrong = new CaptionDecoder() {
            @Override
            public int vocabularySize() {
                return V;
            }

            @Override
            public int featureSize() {
                return D;
            }

            @Override
            public int[] featureShape() {
                return new int[] {H, W, 2};
            }

            @Override
            public boolean hasAttention() {
                return true;
            }

            @Override
            public DecoderState start(float[][] features) {
                return fake.start(features);
            }

            @Override
            public DecoderState start(float[][] features, boolean withAttention) {
                return fake.start(features, withAttention);
            }

            @Override
            public Step step(DecoderState state, int[] previousTokens) {
                Step s = fake.step(state, previousTokens);
                return new Step(s.logProbs(), s.state(), new float[][] {new float[H * W - 1]});
            }

            @Override
            public DecoderState select(DecoderState state, int[] rows) {
                return fake.select(state, rows);
            }

            @Override
            public void close() {}
        };
        assertThatThrownBy(() -> new GreedySearch(options(DecodingOptions.Strategy.GREEDY, true))
                .decode(wrong, features(1)))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("decoder step 0: attention[0] must have 6 weights (H x W), found 5");
        assertThat(fake.openStates()).isZero();
    }
}
