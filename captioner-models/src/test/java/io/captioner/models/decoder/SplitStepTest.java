package io.captioner.models.decoder;

import static io.captioner.models.decoder.StepFixtures.BIG;
import static io.captioner.models.decoder.StepFixtures.D;
import static io.captioner.models.decoder.StepFixtures.V;
import static io.captioner.models.decoder.StepFixtures.assertRowsEqual;
import static io.captioner.models.decoder.StepFixtures.config;
import static io.captioner.models.decoder.StepFixtures.features;
import static io.captioner.models.decoder.StepFixtures.perturbedDecoder;
import static io.captioner.models.decoder.StepFixtures.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.captioner.CaptionDecoder;
import io.captioner.DecoderState;
import io.captioner.DecodingOptions;
import io.captioner.search.CaptionSearch;
import io.captioner.search.Hypothesis;
import io.captioner.search.SearchResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The split small-batch step of {@link LstmCaptionDecoder}: the next step's first-layer recurrent
 * term is computed at the end of a step (possibly on a {@link StepHelpers} thread, in parallel with
 * the logits), carried in the state, gathered by {@code select} and added to the token gates by
 * the next step. These tests force that path onto a helper thread and compare it with PyTorch's
 * {@code lstm} operator path; a recurrent block left out, added twice, or gathered into the wrong
 * rows changes the log-probabilities of the following step.
 */
class SplitStepTest {


    /** Splits every step of 1 to 64 rows and makes the caller wait for the helper's result. */
    private final StepHelpers forced = new StepHelpers(1, 1, 64, true);

    /** No helper: steps of 1 to 64 rows get the logits and the next recurrent term from one product. */
    private static StepHelpers combined() {
        return new StepHelpers(0, 1, 64, false);
    }

    /** The path before splitting: nothing carried, the recurrent term computed inside each step. */
    private static StepHelpers plain() {
        return new StepHelpers(0, Integer.MAX_VALUE, 0, false);
    }

    @AfterEach
    void stopHelpers() {
        forced.shutdown();
    }

    private static DecoderState replace(DecoderState old, DecoderState next) {
        old.close();
        return next;
    }

    @ParameterizedTest(name = "{0}, {1} layer(s), helper {2}, merge {3}")
    @CsvSource({"FIRST_INPUT, 1, true, false", "INIT_STATE, 1, true, false", "FIRST_INPUT, 2, true, false",
        "INIT_STATE, 2, true, false", "FIRST_INPUT, 1, false, false", "INIT_STATE, 1, false, false",
        "FIRST_INPUT, 2, false, false", "INIT_STATE, 2, false, false",
        "INIT_STATE, 1, true, true", "INIT_STATE, 1, false, true", "FIRST_INPUT, 2, false, true"})
    void carriedRecurrentStepsEqualTheOperatorPathWhileBeamsGrowMoveAndShrink(ImageInjection injection, int layers,
            boolean helper, boolean merge) {
        float[][] all = features(BIG, 31);
        Random random = new Random(32);
        // 2 images of 1 row grow to 5 rows (duplicates, moved), are reordered, shrink to 3, grow to 4
        int[][] smallSelects = {{1, 0, 1, 0, 0}, {4, 2, 3, 0, 1}, {3, 3, 0}, {2, 0, 1, 1}};
        try (LstmCaptionDecoder decoder = perturbedDecoder(config(injection, layers, 0.5, merge), 33, 0.3f)) {
            decoder.useHelpers(helper ? forced : combined());
            DecoderState big = decoder.start(all); // BIG rows: the lstm operator path
            DecoderState small = decoder.start(Arrays.copyOf(all, 2));
            for (int step = 0; step <= smallSelects.length; step++) {
                int[] t = tokens(BIG, random);
                CaptionDecoder.Step b = decoder.step(big, t);
                CaptionDecoder.Step s = decoder.step(small, Arrays.copyOf(t, small.batchSize()));
                big = replace(big, b.state());
                small = replace(small, s.state());
                assertRowsEqual(s.logProbs(), b.logProbs(), "step " + step);
                if (step == smallSelects.length) {
                    break;
                }
                int[] bigSelect = new int[BIG];
                Arrays.setAll(bigSelect, i -> i);
                System.arraycopy(smallSelects[step], 0, bigSelect, 0, smallSelects[step].length);
                big = replace(big, decoder.select(big, bigSelect));
                small = replace(small, decoder.select(small, smallSelects[step]));
            }
            big.close();
            small.close();
        }
        assertThat(forced.helped()).as("steps whose recurrent term ran on the helper thread")
                .isEqualTo(helper ? smallSelects.length + 1 : 0);
    }

    @Test
    void splitCombinedAndPlainStepsGiveTheSameLogProbabilitiesAsABeamGrowsFromOneRow() {
        float[][] f = features(1, 41);
        int[][] steps = {{1}, {4, 9, 4, 17, 2}, {5, 5, 6, 7, 8}, {20, 3, 11, 29, 10}};
        StepHelpers fromTwoRows = new StepHelpers(1, 2, 64, true); // the 1-row step is not split
        try (LstmCaptionDecoder decoder = perturbedDecoder(config(ImageInjection.FIRST_INPUT, 1, 0.5), 42, 0.3f)) {
            decoder.useHelpers(plain());
            float[][][] reference = run(decoder, f, steps);
            decoder.useHelpers(forced);
            float[][][] split = run(decoder, f, steps);
            decoder.useHelpers(fromTwoRows); // select computes the term when 1 row grows to 5
            float[][][] grown = run(decoder, f, steps);
            decoder.useHelpers(combined());
            float[][][] oneProduct = run(decoder, f, steps);
            for (int i = 0; i < steps.length; i++) {
                assertRowsEqual(split[i], reference[i], "split, step " + i);
                assertRowsEqual(grown[i], reference[i], "split from two rows, step " + i);
                assertRowsEqual(oneProduct[i], reference[i], "one product, step " + i);
            }
            assertThat(fromTwoRows.helped()).isEqualTo(steps.length - 1);
        } finally {
            fromTwoRows.shutdown();
        }
        assertThat(forced.helped()).isEqualTo(steps.length);
    }

    private static float[][][] run(LstmCaptionDecoder decoder, float[][] f, int[][] steps) {
        float[][][] out = new float[steps.length][][];
        DecoderState state = decoder.start(f);
        for (int i = 0; i < steps.length; i++) {
            CaptionDecoder.Step s = decoder.step(state, steps[i]);
            state = replace(state, s.state());
            out[i] = s.logProbs();
            state = replace(state, decoder.select(state, i == 0 ? new int[] {0, 0, 0, 0, 0} : new int[] {4, 0, 3, 1, 2}));
        }
        state.close();
        return out;
    }

    @Test
    void aCarriedRecurrentTermIsRecomputedAfterTheParametersChange() {
        float[][] all = features(BIG, 51);
        try (LstmCaptionDecoder decoder = perturbedDecoder(config(ImageInjection.INIT_STATE, 1, 0.5), 52, 0.3f)) {
            decoder.useHelpers(forced);
            DecoderState big = decoder.start(all);
            DecoderState small = decoder.start(Arrays.copyOf(all, 3));
            int[] t = new int[BIG];
            Arrays.fill(t, 1);
            big = replace(big, decoder.step(big, t).state());
            small = replace(small, decoder.step(small, Arrays.copyOf(t, 3)).state()); // carries old weights
            for (Pair<String, Parameter> p : decoder.block().getParameters()) {
                p.getValue().getArray().muli(1.2f);
            }
            decoder.block().parametersChanged();
            Arrays.fill(t, 7);
            CaptionDecoder.Step b = decoder.step(big, t);
            CaptionDecoder.Step s = decoder.step(small, Arrays.copyOf(t, 3));
            assertRowsEqual(s.logProbs(), b.logProbs(), "after the change");
            b.state().close();
            s.state().close();
            big.close();
            small.close();
        }
    }

    @Test
    void splitStepsLeaveTheNDArrayCountFlat() {
        try (LstmCaptionDecoder decoder = perturbedDecoder(config(ImageInjection.FIRST_INPUT, 1, 0.5), 61, 0.3f)) {
            decoder.useHelpers(forced);
            NDManager root = decoder.manager().getParentManager();
            NDManager system = NDManager.newBaseManager().getParentManager();
            float[][] f = features(1, 62);
            beamLike(decoder, f, 5);
            int before = root.getManagedArrays().size();
            int systemBefore = system.getManagedArrays().size();
            for (int round = 0; round < 30; round++) {
                beamLike(decoder, f, 10);
            }
            assertThat(root.getManagedArrays()).hasSize(before);
            assertThat(system.getManagedArrays()).hasSize(systemBefore);
        }
        assertThat(forced.helped()).isGreaterThan(0);
    }

    /** One row grown to five, then five rows reordered every step, like beam search. */
    private static void beamLike(LstmCaptionDecoder decoder, float[][] f, int steps) {
        DecoderState state = decoder.start(f);
        int[] prev = {1};
        for (int i = 0; i < steps; i++) {
            state = replace(state, decoder.step(state, prev).state());
            state = replace(state, decoder.select(state, i == 0 ? new int[] {0, 0, 0, 0, 0} : new int[] {1, 0, 4, 4, 2}));
            prev = new int[] {3, 4, 5, 6, 7 + i % 5};
        }
        state.close();
    }

    @Test
    void concurrentBeamDecodesGiveTheSameCaptionsAsSequentialOnes() throws Exception {
        int callers = 8;
        float[][][] images = new float[callers][][];
        for (int i = 0; i < callers; i++) {
            images[i] = features(1 + i % 2, 70 + i);
        }
        CaptionSearch beam = CaptionSearch.of(DecodingOptions.builder()
                .optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(5).optNBest(3).optMaxLength(12).build());
        StepHelpers shared = new StepHelpers(2, 1, 64, false); // a helper when free, else one product
        try (LstmCaptionDecoder decoder = perturbedDecoder(config(ImageInjection.FIRST_INPUT, 1, 0.5), 71, 0.3f)) {
            decoder.useHelpers(plain());
            List<List<SearchResult>> sequential = new ArrayList<>();
            for (float[][] image : images) {
                sequential.add(beam.decode(decoder, image));
            }
            decoder.useHelpers(shared);
            ExecutorService callerPool = Executors.newFixedThreadPool(callers);
            try {
                List<Future<List<List<SearchResult>>>> futures = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    int image = i;
                    futures.add(callerPool.submit(() -> {
                        List<List<SearchResult>> mine = new ArrayList<>();
                        for (int round = 0; round < 6; round++) {
                            mine.add(beam.decode(decoder, images[(image + round) % callers]));
                        }
                        return mine;
                    }));
                }
                List<List<List<SearchResult>>> concurrent = new ArrayList<>();
                for (Future<List<List<SearchResult>>> future : futures) {
                    concurrent.add(future.get(2, TimeUnit.MINUTES)); // a deadlock fails here
                }
                for (int i = 0; i < callers; i++) {
                    List<List<SearchResult>> mine = concurrent.get(i);
                    for (int round = 0; round < mine.size(); round++) {
                        assertSameResults(mine.get(round), sequential.get((i + round) % callers),
                                "caller " + i + ", round " + round);
                    }
                }
            } finally {
                // every caller must be out of the decoder before it closes (close must not race)
                callerPool.shutdown();
                assertThat(callerPool.awaitTermination(2, TimeUnit.MINUTES)).as("callers finished").isTrue();
                shared.shutdown();
            }
        }
    }

    private static void assertSameResults(List<SearchResult> found, List<SearchResult> expected, String what) {
        assertThat(found).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < found.size(); i++) {
            List<Hypothesis> f = found.get(i).hypotheses();
            List<Hypothesis> e = expected.get(i).hypotheses();
            assertThat(f).as("%s, image %d", what, i).hasSameSizeAs(e);
            for (int j = 0; j < f.size(); j++) {
                assertThat(f.get(j).tokens()).as("%s, image %d, caption %d", what, i, j).isEqualTo(e.get(j).tokens());
                assertThat(f.get(j).logProb()).as("%s, image %d, caption %d", what, i, j)
                        .isCloseTo(e.get(j).logProb(), within(1e-4));
            }
        }
    }

    @Test
    void aFailureOnTheHelperThreadReachesTheCaller() {
        StepHelpers.Task<Object> task = forced.tryFork(() -> {
            throw new IllegalStateException("boom on " + Thread.currentThread().getName());
        });
        assertThatThrownBy(task::join).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("captioner-decoder-helper");
    }

    @Test
    void noTaskIsHandedOverWhileEveryHelperIsBusy() throws Exception {
        StepHelpers one = new StepHelpers(1, 1, 64, false);
        try {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            StepHelpers.Task<Boolean> blocker = one.tryFork(() -> {
                started.countDown();
                try {
                    return release.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(blocker).isNotNull();
            assertThat(started.await(1, TimeUnit.MINUTES)).as("the helper took the first task").isTrue();
            assertThat(one.tryFork(() -> "second")).as("no queueing behind a busy helper").isNull();
            release.countDown();
            assertThat(blocker.join()).isTrue();
            assertThat(one.helped()).isEqualTo(1);
        } finally {
            one.shutdown();
        }
    }

    @Test
    void noTaskIsHandedOverWhileMoreCallersStepThanTheHelpersLeaveCoresFor() {
        StepHelpers one = new StepHelpers(1, 1, 64, false);
        int freeCores = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        try {
            for (int i = 0; i <= freeCores; i++) {
                one.enter();
            }
            assertThat(one.tryFork(() -> "busy machine")).isNull();
            one.exit();
            StepHelpers.Task<String> task = one.tryFork(() -> "one caller per free core");
            assertThat(task).isNotNull();
            assertThat(task.join()).isEqualTo("one caller per free core");
        } finally {
            for (int i = 0; i < freeCores; i++) {
                one.exit();
            }
            one.shutdown();
        }
    }

    @Test
    void aTaskNoHelperHasStartedRunsOnTheCallerThatJoinsIt() {
        StepHelpers one = new StepHelpers(1, 1, 64, false);
        try {
            int caller = 0;
            String me = Thread.currentThread().getName();
            for (int i = 0; i < 200 && caller == 0; i++) {
                StepHelpers.Task<String> task;
                while ((task = one.tryFork(() -> Thread.currentThread().getName())) == null) {
                    Thread.onSpinWait(); // the previous task's permit is not back yet
                }
                String ranOn = task.join(); // usually before the helper thread wakes up
                if (ranOn.equals(me)) {
                    caller++;
                } else {
                    assertThat(ranOn).startsWith("captioner-decoder-helper");
                }
            }
            assertThat(caller).as("tasks taken back by the caller").isGreaterThan(0);
        } finally {
            one.shutdown();
        }
    }

    @Test
    void onlyBeamSizedStepsAreSplit() {
        StepHelpers pool = new StepHelpers(1, 2, 64, false);
        assertThat(pool.splits(1)).isFalse();
        assertThat(pool.splits(5)).isTrue();
        assertThat(pool.splits(65)).isFalse();
        assertThat(plain().splits(5)).isFalse();
    }
}
