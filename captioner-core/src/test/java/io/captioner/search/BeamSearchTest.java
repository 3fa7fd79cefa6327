package io.captioner.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.captioner.CaptionDecoder;
import io.captioner.CaptionerException;
import io.captioner.DecoderState;
import io.captioner.DecodingOptions;
import io.captioner.DecodingOptions.LengthPenalty;
import io.captioner.DecodingOptions.Strategy;
import io.captioner.testing.FakeDecoder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BeamSearchTest {

    private static final int V = 8; // 4 specials + 4 words
    private static final int D = 3;
    private static final int EXACT_K = 2000; // more than all candidates of any step (4^4 * 8)

    private static DecodingOptions.Builder beam(int k, int maxLength) {
        return DecodingOptions.builder().optStrategy(Strategy.BEAM).optBeamSize(k)
                .optMaxLength(maxLength);
    }

    private static List<Integer> tokensOf(BruteForce.Scored s) {
        return s.tokens();
    }

    @ParameterizedTest(name = "{0} alpha={1}")
    @CsvSource({"NONE,0", "AVERAGE,0", "GNMT,0.7", "GNMT,2.0"})
    void largeBeamFindsTheMostProbableCaptionFoundByBruteForce(LengthPenalty penalty, double alpha) {
        DecodingOptions options = beam(EXACT_K, 4).optLengthPenalty(penalty, alpha).build();
        for (long seed = 1; seed <= 12; seed++) {
            try (FakeDecoder decoder = FakeDecoder.random(V, D, seed)) {
                float[] feature = FakeDecoder.feature(D, seed);
                List<BruteForce.Scored> truth = BruteForce.finished(decoder, feature, options);
                Hypothesis best = new BeamSearch(options).decode(decoder, feature).best();
                assertThat(best.tokens()).as("seed %d", seed).isEqualTo(tokensOf(truth.get(0)));
                assertThat(best.score()).isCloseTo(truth.get(0).score(), within(1e-9));
                assertThat(best.finished()).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0} alpha={1}")
    @CsvSource({"NONE,0", "AVERAGE,0", "GNMT,1.0"})
    void largeBeamNBestListIsTheBruteForceTopN(LengthPenalty penalty, double alpha) {
        int n = 7;
        DecodingOptions options = beam(EXACT_K, 4).optNBest(n).optLengthPenalty(penalty, alpha)
                .build();
        for (long seed = 20; seed < 26; seed++) {
            try (FakeDecoder decoder = FakeDecoder.random(V, D, seed)) {
                float[] feature = FakeDecoder.feature(D, seed);
                List<BruteForce.Scored> truth = BruteForce.finished(decoder, feature, options);
                List<Hypothesis> found = new BeamSearch(options).decode(decoder, feature)
                        .hypotheses();
                assertThat(found).extracting(Hypothesis::tokens).as("seed %d", seed)
                        .containsExactlyElementsOf(truth.subList(0, n).stream()
                                .map(BruteForce.Scored::tokens).toList());
            }
        }
    }

    @Test
    void largeBeamWithMinimumLengthFindsTheBestCaptionThatLong() {
        DecodingOptions options = beam(EXACT_K, 4).optMinLength(3).build();
        for (long seed = 40; seed < 48; seed++) {
            try (FakeDecoder decoder = FakeDecoder.random(V, D, seed, 2f)) {
                float[] feature = FakeDecoder.feature(D, seed);
                List<BruteForce.Scored> truth = BruteForce.finished(decoder, feature, options);
                Hypothesis best = new BeamSearch(options).decode(decoder, feature).best();
                assertThat(best.tokens()).hasSizeGreaterThanOrEqualTo(3)
                        .isEqualTo(truth.get(0).tokens());
            }
        }
    }

    @Test
    void endIsNeverEmittedBeforeTheMinimumLength() {
        // <end> is by far the most likely token, so without the rule captions would be empty.
        DecodingOptions options = beam(4, 10).optNBest(4).optMinLength(5).build();
        for (long seed = 0; seed < 20; seed++) {
            try (FakeDecoder decoder = FakeDecoder.random(V + 10, D, seed, 8f)) {
                SearchResult result = new BeamSearch(options).decode(decoder,
                        FakeDecoder.feature(D, seed));
                for (Hypothesis h : result.hypotheses()) {
                    assertThat(h.tokens()).hasSizeGreaterThanOrEqualTo(5);
                    assertThat(h.finished()).isTrue();
                }
            }
        }
    }

    @Test
    void beamOfWidthOneMakesGreedyChoices() {
        DecodingOptions beam1 = beam(1, 12).build();
        DecodingOptions greedy = DecodingOptions.builder().optMaxLength(12).build();
        for (long seed = 0; seed < 60; seed++) {
            try (FakeDecoder decoder = FakeDecoder.random(16, D, seed, -1f)) {
                float[] feature = FakeDecoder.feature(D, seed);
                Hypothesis b = new BeamSearch(beam1).decode(decoder, feature).best();
                Hypothesis g = new GreedySearch(greedy).decode(decoder, feature).best();
                assertThat(b).as("seed %d", seed).isEqualTo(g);
            }
        }
    }

    @Test
    void exactBeamLogProbIsAtLeastGreedyLogProb() {
        DecodingOptions exact = beam(EXACT_K, 4).build();
        DecodingOptions greedy = DecodingOptions.builder().optMaxLength(4).build();
        for (long seed = 0; seed < 40; seed++) {
            try (FakeDecoder decoder = FakeDecoder.random(V, D, seed)) {
                float[] feature = FakeDecoder.feature(D, seed);
                double b = new BeamSearch(exact).decode(decoder, feature).best().logProb();
                Hypothesis g = new GreedySearch(greedy).decode(decoder, feature).best();
                assertThat(g.finished()).isTrue();
                assertThat(b).as("seed %d", seed).isGreaterThanOrEqualTo(g.logProb());
            }
        }
    }

    /**
     * Beam search with a finite width is not guaranteed to beat greedy search: the greedy prefix can
     * be pruned by k better-looking prefixes whose continuations turn out poor (a search error). On
     * these flat random models that happened to 17.5%, 12%, 5% and 1.5% of 1000 models at k = 2, 3,
     * 5 and 10; the thresholds below sit under what was measured on these 300 models and catch a
     * beam that ranks or keeps candidates wrongly. With an exact beam the property always holds
     * ({@link #exactBeamLogProbIsAtLeastGreedyLogProb}).
     */
    @ParameterizedTest(name = "k={0}")
    @CsvSource({"2, 0.75", "3, 0.83", "5, 0.90", "10, 0.95"})
    void beamLogProbIsAtLeastGreedyLogProbOnMostRandomModels(int k, double minimumShare) {
        DecodingOptions options = beam(k, 12).build();
        DecodingOptions greedy = DecodingOptions.builder().optMaxLength(12).build();
        int atLeast = 0;
        int models = 300;
        for (long seed = 0; seed < models; seed++) {
            try (FakeDecoder decoder = FakeDecoder.random(20, D, seed, -0.5f)) {
                float[] feature = FakeDecoder.feature(D, seed);
                double b = new BeamSearch(options).decode(decoder, feature).best().logProb();
                double g = new GreedySearch(greedy).decode(decoder, feature).best().logProb();
                if (b >= g - 1e-12) {
                    atLeast++;
                }
            }
        }
        assertThat(atLeast / (double) models).isGreaterThanOrEqualTo(minimumShare);
    }

    /** The bound is loose for a strong GNMT penalty, so there it may never trigger (expect=false). */
    @ParameterizedTest(name = "{0} alpha={1}")
    @CsvSource({"NONE,0,true", "AVERAGE,0,true", "GNMT,0.7,true", "GNMT,1.0,true", "GNMT,2.0,false"})
    void earlyStopNeverChangesTheResult(LengthPenalty penalty, double alpha, boolean expectStop) {
        DecodingOptions options = beam(4, 12).optNBest(3).optLengthPenalty(penalty, alpha).build();
        int stoppedEarly = 0;
        for (long seed = 0; seed < 60; seed++) {
            try (FakeDecoder decoder = FakeDecoder.random(20, D, seed, 1.5f)) {
                float[] feature = FakeDecoder.feature(D, seed);
                SearchResult exhaustive = new BeamSearch(options, false).decode(decoder, feature);
                int fullSteps = decoder.stepBatchSizes().size();
                decoder.resetCounters();
                SearchResult early = new BeamSearch(options).decode(decoder, feature);
                assertThat(early).as("seed %d", seed).isEqualTo(exhaustive);
                if (decoder.stepBatchSizes().size() < fullSteps) {
                    stoppedEarly++;
                }
            }
        }
        if (expectStop) {
            assertThat(stoppedEarly).as("early stop must actually trigger").isPositive();
        }
    }

    @ParameterizedTest(name = "{0} alpha={1}")
    @CsvSource({"NONE,0", "AVERAGE,0", "GNMT,0.7"})
    void nBestEntriesAreDistinctAndSortedByScore(LengthPenalty penalty, double alpha) {
        DecodingOptions options = beam(6, 10).optNBest(6).optLengthPenalty(penalty, alpha).build();
        for (long seed = 0; seed < 30; seed++) {
            try (FakeDecoder decoder = FakeDecoder.random(20, D, seed, -0.5f)) {
                List<Hypothesis> list = new BeamSearch(options)
                        .decode(decoder, FakeDecoder.feature(D, seed)).hypotheses();
                assertThat(list).hasSizeGreaterThan(1);
                Set<List<Integer>> distinct = new HashSet<>();
                for (int i = 0; i < list.size(); i++) {
                    assertThat(distinct.add(list.get(i).tokens())).as("duplicate %s", list.get(i))
                            .isTrue();
                    if (i > 0) {
                        assertThat(list.get(i).score()).isLessThanOrEqualTo(list.get(i - 1).score());
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} alpha={1}")
    @CsvSource({"NONE,0", "AVERAGE,0", "GNMT,1.3"})
    void reportedScoresEqualTeacherForcedLogProbabilities(LengthPenalty penalty, double alpha) {
        DecodingOptions options = beam(5, 10).optNBest(5).optLengthPenalty(penalty, alpha).build();
        for (long seed = 0; seed < 15; seed++) {
            try (FakeDecoder decoder = FakeDecoder.random(20, D, seed, -0.5f)) {
                float[] feature = FakeDecoder.feature(D, seed);
                for (Hypothesis h : new BeamSearch(options).decode(decoder, feature).hypotheses()) {
                    float[] forced = TeacherForcing.stepLogProbs(decoder, feature, h.tokenArray(),
                            h.finished());
                    assertThat(h.stepLogProbs()).hasSize(forced.length);
                    double sum = 0;
                    for (int i = 0; i < forced.length; i++) {
                        assertThat(h.stepLogProbs().get(i)).isEqualTo((double) forced[i]);
                        sum += forced[i];
                    }
                    assertThat(h.logProb()).isCloseTo(sum, within(1e-12));
                    double divisor = switch (penalty) {
                        case NONE -> 1;
                        case AVERAGE -> h.steps();
                        case GNMT -> Math.pow((5.0 + h.steps()) / 6.0, alpha);
                    };
                    assertThat(h.score()).isCloseTo(sum / divisor, within(1e-12));
                }
                assertThat(decoder.openStates()).isZero();
            }
        }
    }

    @Test
    void batchedDecodingEqualsDecodingEachImageAlone() {
        DecodingOptions options = beam(4, 12).optNBest(3)
                .optLengthPenalty(LengthPenalty.GNMT, 0.8).optNoRepeatNgramSize(3).build();
        float[][] features = new float[9][];
        for (int i = 0; i < features.length; i++) {
            features[i] = FakeDecoder.feature(D, 100 + i);
        }
        try (FakeDecoder decoder = FakeDecoder.random(25, D, 7, -0.5f)) {
            List<SearchResult> batched = new BeamSearch(options).decode(decoder, features);
            for (int i = 0; i < features.length; i++) {
                assertThat(batched.get(i)).as("image %d", i)
                        .isEqualTo(new BeamSearch(options).decode(decoder, features[i]));
            }
        }
    }

    @Test
    void batchedDecodingMakesOneStepCallPerTimeStepAndShrinksAsImagesFinish() {
        DecodingOptions options = beam(3, 15).optNBest(2).build();
        float[][] features = new float[6][];
        for (int i = 0; i < features.length; i++) {
            features[i] = FakeDecoder.feature(D, 200 + i);
        }
        try (FakeDecoder decoder = FakeDecoder.random(25, D, 8, 1f)) {
            int longest = 0;
            for (float[] f : features) {
                decoder.resetCounters();
                new BeamSearch(options).decode(decoder, f);
                longest = Math.max(longest, decoder.stepBatchSizes().size());
            }
            decoder.resetCounters();
            new BeamSearch(options).decode(decoder, features);
            List<Integer> sizes = decoder.stepBatchSizes();
            assertThat(sizes).hasSize(longest);
            assertThat(sizes.get(0)).isEqualTo(features.length); // one row per image at first
            assertThat(sizes).allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(6 * 3));
            assertThat(sizes.get(sizes.size() - 1)).isLessThan(java.util.Collections.max(sizes));
        }
    }

    @Test
    void largeBeamReturnsTheBestPartialCaptionWhenNoCaptionCanEnd() {
        DecodingOptions options = beam(EXACT_K, 4).optNBest(3).build();
        for (long seed = 0; seed < 6; seed++) {
            try (FakeDecoder decoder = FakeDecoder.random(V, D, seed, Float.NEGATIVE_INFINITY)) {
                float[] feature = FakeDecoder.feature(D, seed);
                List<BruteForce.Scored> truth = BruteForce.partial(decoder, feature, options);
                List<Hypothesis> found = new BeamSearch(options).decode(decoder, feature)
                        .hypotheses();
                assertThat(found).hasSize(3).allSatisfy(h -> {
                    assertThat(h.finished()).isFalse();
                    assertThat(h.tokens()).hasSize(4);
                    assertThat(h.stepLogProbs()).hasSize(4);
                });
                assertThat(found).extracting(Hypothesis::tokens).containsExactlyElementsOf(
                        truth.subList(0, 3).stream().map(BruteForce.Scored::tokens).toList());
                assertThat(decoder.openStates()).isZero();
            }
        }
    }

    @Test
    void smallBeamReturnsPartialCaptionsOfMaximumLengthWhenNoCaptionCanEnd() {
        DecodingOptions options = beam(3, 9).optNBest(2).build();
        try (FakeDecoder decoder = FakeDecoder.random(30, D, 5, Float.NEGATIVE_INFINITY)) {
            SearchResult result = new BeamSearch(options).decode(decoder, FakeDecoder.feature(D, 1));
            assertThat(result.hypotheses()).hasSize(2).allSatisfy(h -> {
                assertThat(h.finished()).isFalse();
                assertThat(h.tokens()).hasSize(9);
            });
            assertThat(result.best().logProb()).isGreaterThanOrEqualTo(
                    result.hypotheses().get(1).logProb());
        }
    }

    @Test
    void captionsMayHaveExactlyMaxLengthWordsAndStillFinish() {
        // <end> is unlikely but possible: after maxLength words only <end> may follow.
        DecodingOptions options = beam(3, 5).build();
        try (FakeDecoder decoder = FakeDecoder.random(30, D, 11, -12f)) {
            Hypothesis best = new BeamSearch(options).decode(decoder, FakeDecoder.feature(D, 2))
                    .best();
            assertThat(best.finished()).isTrue();
            assertThat(best.tokens()).hasSize(5);
            assertThat(best.stepLogProbs()).hasSize(6);
        }
    }

    @Test
    void earlyStopEndsTheSearchBeforeTheMaximumLength() {
        DecodingOptions options = beam(EXACT_K, 4).build();
        try (FakeDecoder decoder = FakeDecoder.random(V, D, 3, 3f)) {
            float[] feature = FakeDecoder.feature(D, 3);
            Hypothesis best = new BeamSearch(options).decode(decoder, feature).best();
            assertThat(decoder.stepBatchSizes()).hasSizeLessThan(5);
            assertThat(best.tokens()).isEqualTo(
                    BruteForce.finished(decoder, feature, options).get(0).tokens());
        }
    }

    @Test
    void neverEmitsPaddingStartOrSuppressedUnknown() {
        // The model prefers <pad>, <start> and <unk> above every word.
        FakeDecoder.LogitModel model = (feature, history, logits) -> {
            for (int t = 0; t < logits.length; t++) {
                logits[t] = t < 4 && t != 2 ? 5f : -t * 0.1f;
            }
        };
        try (FakeDecoder decoder = FakeDecoder.of(10, D, model)) {
            DecodingOptions suppressed = beam(4, 6).optNBest(4).build();
            for (Hypothesis h : new BeamSearch(suppressed)
                    .decode(decoder, FakeDecoder.feature(D, 0)).hypotheses()) {
                assertThat(h.tokens()).allSatisfy(t -> assertThat(t).isGreaterThanOrEqualTo(4));
            }
            DecodingOptions allowed = suppressed.toBuilder().optSuppressUnk(false).build();
            Hypothesis best = new BeamSearch(allowed).decode(decoder, FakeDecoder.feature(D, 0))
                    .best();
            assertThat(best.tokens()).contains(TokenIds.UNK).doesNotContain(TokenIds.PAD,
                    TokenIds.START);
        }
    }

    /** A model that likes to repeat its last word and to cycle through 4 5 4 5. */
    private static final FakeDecoder.LogitModel REPETITIVE = (feature, history, logits) -> {
        int last = history[history.length - 1];
        for (int t = 0; t < logits.length; t++) {
            logits[t] = -0.3f * t;
        }
        logits[2] = -4f;
        if (last >= 4) {
            logits[last] += 4f;
        }
        logits[last == 4 ? 5 : 4] += 3f;
    };

    @Test
    void noImmediateRepeatForbidsTheSameWordTwiceInARow() {
        DecodingOptions options = beam(4, 8).optNBest(4).optNoImmediateRepeat(true).build();
        try (FakeDecoder decoder = FakeDecoder.of(12, D, REPETITIVE)) {
            Hypothesis unconstrained = new BeamSearch(beam(4, 8).build())
                    .decode(decoder, FakeDecoder.feature(D, 0)).best();
            assertThat(hasImmediateRepeat(unconstrained.tokens())).isTrue();
            for (Hypothesis h : new BeamSearch(options).decode(decoder, FakeDecoder.feature(D, 0))
                    .hypotheses()) {
                assertThat(hasImmediateRepeat(h.tokens())).as("%s", h).isFalse();
            }
        }
    }

    @Test
    void noRepeatNgramForbidsRepeatedBigrams() {
        DecodingOptions options = beam(4, 8).optNBest(4).optNoRepeatNgramSize(2)
                .optNoImmediateRepeat(true).build();
        try (FakeDecoder decoder = FakeDecoder.of(12, D, REPETITIVE)) {
            Hypothesis unconstrained = new BeamSearch(beam(4, 8).optNoImmediateRepeat(true).build())
                    .decode(decoder, FakeDecoder.feature(D, 0)).best();
            assertThat(repeatedNgram(unconstrained.tokens(), 2)).isTrue();
            for (Hypothesis h : new BeamSearch(options).decode(decoder, FakeDecoder.feature(D, 0))
                    .hypotheses()) {
                assertThat(repeatedNgram(h.tokens(), 2)).as("%s", h).isFalse();
            }
        }
    }

    @ParameterizedTest(name = "n={0}")
    @CsvSource({"1", "2", "3"})
    void largeBeamWithNoRepeatNgramFindsTheBestConstrainedCaption(int n) {
        DecodingOptions options = beam(EXACT_K, 4).optNoRepeatNgramSize(n).build();
        for (long seed = 60; seed < 66; seed++) {
            try (FakeDecoder decoder = FakeDecoder.random(V, D, seed, -1f)) {
                float[] feature = FakeDecoder.feature(D, seed);
                List<BruteForce.Scored> truth = BruteForce.finished(decoder, feature, options);
                assertThat(new BeamSearch(options).decode(decoder, feature).best().tokens())
                        .isEqualTo(truth.get(0).tokens());
            }
        }
    }

    @Test
    void everyDecoderStateIsClosedAfterDecoding() {
        DecodingOptions options = beam(5, 12).optNBest(3).build();
        try (FakeDecoder decoder = FakeDecoder.random(25, D, 9, -0.5f)) {
            float[][] features = {FakeDecoder.feature(D, 1), FakeDecoder.feature(D, 2),
                FakeDecoder.feature(D, 3)};
            for (int i = 0; i < 20; i++) {
                new BeamSearch(options).decode(decoder, features);
            }
            assertThat(decoder.statesCreated()).isGreaterThan(20);
            assertThat(decoder.openStates()).isZero();
        }
    }

    @Test
    void everyDecoderStateIsClosedWhenTheDecoderFails() {
        DecodingOptions options = beam(5, 12).build();
        try (FakeDecoder decoder = FakeDecoder.random(25, D, 9, -0.5f).failOnStep(3)) {
            assertThatThrownBy(() -> new BeamSearch(options).decode(decoder,
                    new float[][] {FakeDecoder.feature(D, 1), FakeDecoder.feature(D, 2)}))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("injected");
            assertThat(decoder.statesCreated()).isGreaterThan(3);
            assertThat(decoder.openStates()).isZero();
        }
    }

    @Test
    void emptyBatchDecodesNothing() {
        try (FakeDecoder decoder = FakeDecoder.random(V, D, 1)) {
            assertThat(new BeamSearch(DecodingOptions.beam(3)).decode(decoder, new float[0][]))
                    .isEmpty();
            assertThat(decoder.statesCreated()).isZero();
        }
    }

    @Test
    void wronglyShapedLogProbsAreReportedWithTheFoundSize() {
        FakeDecoder fake = FakeDecoder.random(V, D, 1);
        CaptionDecoder truncating = new CaptionDecoder() {
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
                Step s = fake.step(state, previousTokens);
                float[][] lp = s.logProbs().clone();
                lp[0] = java.util.Arrays.copyOf(lp[0], V - 1);
                return new Step(lp, s.state());
            }

            @Override
            public DecoderState select(DecoderState state, int[] rows) {
                return fake.select(state, rows);
            }

            @Override
            public void close() {}
        };
        assertThatThrownBy(() -> new BeamSearch(DecodingOptions.beam(2))
                .decode(truncating, FakeDecoder.feature(D, 1)))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("logProbs[0]").hasMessageContaining("found " + (V - 1));
        assertThat(fake.openStates()).isZero();
    }

    @Test
    void nullFeatureRowIsRejectedWithItsIndex() {
        try (FakeDecoder decoder = FakeDecoder.random(V, D, 1)) {
            assertThatThrownBy(() -> new BeamSearch(DecodingOptions.beam(2))
                    .decode(decoder, new float[][] {FakeDecoder.feature(D, 1), null}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("features[1]");
        }
    }

    static boolean hasImmediateRepeat(List<Integer> tokens) {
        for (int i = 1; i < tokens.size(); i++) {
            if (tokens.get(i).equals(tokens.get(i - 1))) {
                return true;
            }
        }
        return false;
    }

    static boolean repeatedNgram(List<Integer> tokens, int n) {
        Set<List<Integer>> seen = new HashSet<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            if (!seen.add(new ArrayList<>(tokens.subList(i, i + n)))) {
                return true;
            }
        }
        return false;
    }
}
