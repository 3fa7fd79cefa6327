package io.captioner.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.DecodingOptions;
import io.captioner.testing.FakeDecoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GreedySearchTest {

    private static final int D = 4;

    /** Greedy decoding written out directly against the fake's distributions. */
    private static List<Integer> referenceGreedy(FakeDecoder decoder, float[] feature, int maxLength) {
        List<Integer> history = new ArrayList<>(List.of(TokenIds.START));
        List<Integer> words = new ArrayList<>();
        while (true) {
            float[] lp = decoder.logProbs(feature, history.stream().mapToInt(i -> i).toArray());
            int best = -1;
            for (int t = 2; t < lp.length; t++) {
                if (t == TokenIds.UNK || (words.size() == maxLength && t != TokenIds.END)) {
                    continue;
                }
                if (best < 0 || lp[t] > lp[best]) {
                    best = t;
                }
            }
            if (best == TokenIds.END) {
                return words;
            }
            words.add(best);
            history.add(best);
        }
    }

    @Test
    void choosesTheMostProbableAllowedTokenAtEveryStep() {
        DecodingOptions options = DecodingOptions.builder().optMaxLength(15).build();
        for (long seed = 0; seed < 40; seed++) {
            try (FakeDecoder decoder = FakeDecoder.random(30, D, seed, -1f)) {
                float[] feature = FakeDecoder.feature(D, seed);
                Hypothesis h = new GreedySearch(options).decode(decoder, feature).best();
                assertThat(h.tokens()).as("seed %d", seed)
                        .isEqualTo(referenceGreedy(decoder, feature, 15));
                assertThat(h.finished()).isTrue();
                assertThat(h.logProb()).isCloseTo(TeacherForcing.logProb(decoder, feature,
                        h.tokenArray(), true), org.assertj.core.api.Assertions.within(1e-12));
            }
        }
    }

    @Test
    void returnsTheUnfinishedCaptionWhenEndIsImpossible() {
        DecodingOptions options = DecodingOptions.builder().optMaxLength(7).build();
        try (FakeDecoder decoder = FakeDecoder.random(30, D, 3, Float.NEGATIVE_INFINITY)) {
            Hypothesis h = new GreedySearch(options).decode(decoder, FakeDecoder.feature(D, 3)).best();
            assertThat(h.finished()).isFalse();
            assertThat(h.tokens()).hasSize(7);
            assertThat(h.stepLogProbs()).hasSize(7);
            assertThat(decoder.openStates()).isZero();
        }
    }

    @Test
    void endIsNeverEmittedBeforeTheMinimumLength() {
        DecodingOptions options = DecodingOptions.builder().optMinLength(4).optMaxLength(9).build();
        for (long seed = 0; seed < 20; seed++) {
            try (FakeDecoder decoder = FakeDecoder.random(30, D, seed, 10f)) {
                Hypothesis h = new GreedySearch(options).decode(decoder, FakeDecoder.feature(D, seed))
                        .best();
                assertThat(h.tokens()).hasSize(4); // <end> dominates, so exactly the minimum
                assertThat(h.finished()).isTrue();
            }
        }
    }

    @Test
    void batchedDecodingEqualsDecodingEachImageAloneAndClosesAllStates() {
        DecodingOptions options = DecodingOptions.builder().optMaxLength(12)
                .optNoImmediateRepeat(true).build();
        float[][] features = new float[8][];
        for (int i = 0; i < features.length; i++) {
            features[i] = FakeDecoder.feature(D, 50 + i);
        }
        try (FakeDecoder decoder = FakeDecoder.random(30, D, 4, 0f)) {
            List<SearchResult> batched = new GreedySearch(options).decode(decoder, features);
            List<Integer> sizes = decoder.stepBatchSizes();
            assertThat(sizes.get(0)).isEqualTo(8);
            assertThat(sizes).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
            for (int i = 0; i < features.length; i++) {
                assertThat(batched.get(i)).isEqualTo(new GreedySearch(options).decode(decoder,
                        features[i]));
                assertThat(BeamSearchTest.hasImmediateRepeat(batched.get(i).best().tokens()))
                        .isFalse();
            }
            assertThat(decoder.openStates()).isZero();
        }
    }

    @Test
    void factoryChoosesTheSearchTheOptionsName() {
        assertThat(CaptionSearch.of(DecodingOptions.defaults())).isInstanceOf(GreedySearch.class);
        assertThat(CaptionSearch.of(DecodingOptions.beam(3))).isInstanceOf(BeamSearch.class);
        DecodingOptions sample = DecodingOptions.builder()
                .optStrategy(DecodingOptions.Strategy.SAMPLE).build();
        assertThat(CaptionSearch.of(sample)).isInstanceOf(SamplingSearch.class);
        assertThat(CaptionSearch.of(sample).options()).isSameAs(sample);
    }
}
