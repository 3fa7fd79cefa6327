package io.captioner.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.captioner.DecodingOptions;
import io.captioner.DecodingOptions.Strategy;
import io.captioner.testing.FakeDecoder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplingSearchTest {

    private static final int D = 4;
    private static final int V = 30;

    private static DecodingOptions.Builder sample() {
        return DecodingOptions.builder().optStrategy(Strategy.SAMPLE).optMaxLength(10);
    }

    /** The allowed tokens of a step (default constraints), most probable first. */
    private static List<Integer> rankedAllowed(float[] lp, int length, DecodingOptions options) {
        List<Integer> allowed = new ArrayList<>();
        for (int t = 2; t < lp.length; t++) {
            boolean end = t == TokenIds.END;
            if (t == TokenIds.UNK || (end && length < options.minLength())
                    || (!end && length >= options.maxLength())) {
                continue;
            }
            allowed.add(t);
        }
        allowed.sort((a, b) -> Float.compare(lp[b], lp[a]));
        return allowed;
    }

    /** For each step of the caption, the allowed tokens ranked by probability, and the choice. */
    private static void forEachStep(FakeDecoder decoder, float[] feature, Hypothesis h,
            DecodingOptions options, StepCheck check) {
        List<Integer> history = new ArrayList<>(List.of(TokenIds.START));
        int[] tokens = h.tokenArray();
        for (int i = 0; i < h.steps(); i++) {
            float[] lp = decoder.logProbs(feature, history.stream().mapToInt(x -> x).toArray());
            int chosen = i < tokens.length ? tokens[i] : TokenIds.END;
            check.accept(lp, rankedAllowed(lp, i, options), chosen);
            history.add(chosen);
        }
    }

    private interface StepCheck {
        void accept(float[] lp, List<Integer> ranked, int chosen);
    }

    @Test
    void sameSeedGivesTheSameCaptions() {
        DecodingOptions options = sample().optSeed(42).optTopK(10).optTopP(0.9).build();
        float[][] features = {FakeDecoder.feature(D, 1), FakeDecoder.feature(D, 2)};
        try (FakeDecoder decoder = FakeDecoder.random(V, D, 5, -1f)) {
            List<SearchResult> first = new SamplingSearch(options).decode(decoder, features);
            List<SearchResult> second = new SamplingSearch(options).decode(decoder, features);
            assertThat(second).isEqualTo(first);
            assertThat(decoder.openStates()).isZero();
        }
    }

    @Test
    void differentSeedsGiveDifferentCaptions() {
        float[] feature = FakeDecoder.feature(D, 1);
        Set<List<Integer>> captions = new HashSet<>();
        try (FakeDecoder decoder = FakeDecoder.random(V, D, 5, -1f)) {
            for (long seed = 0; seed < 20; seed++) {
                captions.add(new SamplingSearch(sample().optSeed(seed).build())
                        .decode(decoder, feature).best().tokens());
            }
        }
        assertThat(captions).hasSizeGreaterThan(10);
    }

    @Test
    void batchedSamplingEqualsSamplingEachImageAlone() {
        DecodingOptions options = sample().optSeed(7).optTopP(0.8).build();
        float[][] features = new float[6][];
        for (int i = 0; i < features.length; i++) {
            features[i] = FakeDecoder.feature(D, 10 + i);
        }
        try (FakeDecoder decoder = FakeDecoder.random(V, D, 6, -1f)) {
            List<SearchResult> batched = new SamplingSearch(options).decode(decoder, features);
            for (int i = 0; i < features.length; i++) {
                assertThat(batched.get(i)).isEqualTo(
                        new SamplingSearch(options).decode(decoder, features[i]));
            }
        }
    }

    @Test
    void nearZeroTemperatureEqualsGreedy() {
        DecodingOptions greedy = DecodingOptions.builder().optMaxLength(10).build();
        for (long seed = 0; seed < 40; seed++) {
            DecodingOptions cold = sample().optTemperature(1e-4).optSeed(seed).build();
            try (FakeDecoder decoder = FakeDecoder.random(V, D, seed, -1f)) {
                float[] feature = FakeDecoder.feature(D, seed);
                assertThat(new SamplingSearch(cold).decode(decoder, feature))
                        .isEqualTo(new GreedySearch(greedy).decode(decoder, feature));
            }
        }
    }

    @Test
    void topKNeverEmitsATokenOutsideTheKMostProbable() {
        DecodingOptions options = sample().optTopK(3).optTemperature(2.0).build();
        int[] rankCounts = new int[3];
        try (FakeDecoder decoder = FakeDecoder.random(V, D, 9, -1f)) {
            for (long seed = 0; seed < 300; seed++) {
                float[] feature = FakeDecoder.feature(D, seed % 7);
                DecodingOptions o = options.toBuilder().optSeed(seed).build();
                Hypothesis h = new SamplingSearch(o).decode(decoder, feature).best();
                forEachStep(decoder, feature, h, o, (lp, ranked, chosen) -> {
                    int rank = ranked.indexOf(chosen);
                    assertThat(rank).as("rank of %d in %s", chosen, ranked).isBetween(0, 2);
                    rankCounts[rank]++;
                });
            }
        }
        // every one of the top 3 is actually sampled, so the check above is not vacuous
        assertThat(java.util.Arrays.stream(rankCounts).min().getAsInt()).isGreaterThan(50);
    }

    @Test
    void topPNeverEmitsATokenOutsideTheNucleus() {
        double p = 0.6;
        DecodingOptions options = sample().optTopP(p).build();
        int[] outsideTop1 = new int[1];
        try (FakeDecoder decoder = FakeDecoder.random(V, D, 12, -1f)) {
            for (long seed = 0; seed < 300; seed++) {
                float[] feature = FakeDecoder.feature(D, seed % 7);
                DecodingOptions o = options.toBuilder().optSeed(seed).build();
                Hypothesis h = new SamplingSearch(o).decode(decoder, feature).best();
                forEachStep(decoder, feature, h, o, (lp, ranked, chosen) -> {
                    double total = 0;
                    for (int t : ranked) {
                        total += Math.exp(lp[t]);
                    }
                    // the nucleus: most probable first until the mass reaches p
                    Set<Integer> nucleus = new HashSet<>();
                    double mass = 0;
                    for (int t : ranked) {
                        if (mass >= p * total) {
                            break;
                        }
                        nucleus.add(t);
                        mass += Math.exp(lp[t]);
                    }
                    assertThat(nucleus).as("nucleus of step").contains(chosen);
                    if (chosen != ranked.get(0)) {
                        outsideTop1[0]++;
                    }
                });
            }
        }
        assertThat(outsideTop1[0]).isGreaterThan(100);
    }

    @Test
    void firstTokenFrequenciesFollowTheModel() {
        // One word then <end>: the first token's empirical distribution over many seeds.
        DecodingOptions base = sample().optMaxLength(1).build();
        float[] feature = FakeDecoder.feature(D, 3);
        int samples = 20000;
        try (FakeDecoder decoder = FakeDecoder.random(10, D, 2)) {
            float[] lp = decoder.logProbs(feature, new int[] {TokenIds.START});
            double total = 0;
            for (int t = 4; t < 10; t++) {
                total += Math.exp(lp[t]);
            }
            int[] counts = new int[10];
            for (long seed = 0; seed < samples; seed++) {
                Hypothesis h = new SamplingSearch(base.toBuilder().optSeed(seed).build())
                        .decode(decoder, feature).best();
                counts[h.tokens().get(0)]++;
            }
            for (int t = 4; t < 10; t++) {
                double expected = Math.exp(lp[t]) / total;
                assertThat(counts[t] / (double) samples).as("token %d", t)
                        .isCloseTo(expected, within(0.015));
            }
        }
    }

    @Test
    void reportedLogProbsAreTheModelsNotTheTempered() {
        DecodingOptions options = sample().optTemperature(0.5).optTopK(5).optSeed(3).build();
        try (FakeDecoder decoder = FakeDecoder.random(V, D, 2, -1f)) {
            float[] feature = FakeDecoder.feature(D, 8);
            Hypothesis h = new SamplingSearch(options).decode(decoder, feature).best();
            float[] forced = TeacherForcing.stepLogProbs(decoder, feature, h.tokenArray(),
                    h.finished());
            for (int i = 0; i < forced.length; i++) {
                assertThat(h.stepLogProbs().get(i)).isEqualTo((double) forced[i]);
            }
        }
    }

    @Test
    void samplingRespectsTheConstraints() {
        // Every step prefers <pad>, <start>, <unk> and repeating the last word.
        FakeDecoder.LogitModel model = (feature, history, logits) -> {
            java.util.Arrays.fill(logits, 0f);
            logits[0] = 3f;
            logits[1] = 3f;
            logits[3] = 3f;
            logits[history[history.length - 1]] += 3f;
        };
        DecodingOptions options = sample().optTemperature(1.5).optMinLength(3)
                .optNoRepeatNgramSize(2).optNoImmediateRepeat(true).build();
        try (FakeDecoder decoder = FakeDecoder.of(12, D, model)) {
            for (long seed = 0; seed < 200; seed++) {
                Hypothesis h = new SamplingSearch(options.toBuilder().optSeed(seed).build())
                        .decode(decoder, FakeDecoder.feature(D, seed)).best();
                assertThat(h.tokens()).hasSizeGreaterThanOrEqualTo(3)
                        .allSatisfy(t -> assertThat(t).isGreaterThanOrEqualTo(TokenIds.FIRST_WORD));
                assertThat(BeamSearchTest.hasImmediateRepeat(h.tokens())).isFalse();
                assertThat(BeamSearchTest.repeatedNgram(h.tokens(), 2)).isFalse();
            }
            assertThat(decoder.openStates()).isZero();
        }
    }
}
