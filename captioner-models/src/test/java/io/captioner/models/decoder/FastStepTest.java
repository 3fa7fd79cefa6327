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
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.captioner.CaptionDecoder;
import io.captioner.DecoderState;
import io.captioner.text.Vocabulary;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The small-batch path of {@link LstmCaptionDecoder} ({@link InferenceWeights}: precomputed token
 * gates, transposed and stacked weights, cells written out) computes what PyTorch's {@code lstm}
 * operator path computes: the operator serves batches of {@link
 * LstmCaptionDecoder#FAST_STEP_MAX_ROWS} rows or more and the teacher-forced forward pass.
 */
class FastStepTest {


    private static DecoderState advance(DecoderState old, CaptionDecoder.Step step) {
        old.close();
        return step.state();
    }

    @ParameterizedTest(name = "{0}, {1} layer(s), merge {2}")
    @CsvSource({"FIRST_INPUT, 1, false", "INIT_STATE, 1, false", "FIRST_INPUT, 2, false", "INIT_STATE, 2, false",
        "FIRST_INPUT, 1, true", "INIT_STATE, 2, true"})
    void smallBatchStartAndStepsEqualTheOperatorPathOverChainedSteps(ImageInjection injection, int layers,
            boolean merge) {
        float[][] all = features(BIG, 3);
        Random random = new Random(4);
        try (LstmCaptionDecoder decoder = perturbedDecoder(config(injection, layers, 0.3, merge), 11, 0.2f)) {
            // The big batch starts and steps through the lstm operator; the small one, the first
            // two images started on their own, through the fast path. States feed the next step,
            // so any drift compounds over the five steps.
            DecoderState big = decoder.start(all);
            DecoderState small = decoder.start(Arrays.copyOf(all, 2));
            for (int step = 0; step < 5; step++) {
                int[] t = tokens(BIG, random);
                CaptionDecoder.Step b = decoder.step(big, t);
                CaptionDecoder.Step s = decoder.step(small, Arrays.copyOf(t, 2));
                big = advance(big, b);
                small = advance(small, s);
                assertRowsEqual(s.logProbs(), b.logProbs(), new int[] {0, 1}, "step " + step);
            }
            big.close();
            small.close();
        }
    }

    @ParameterizedTest(name = "{0}, merge {1}")
    @CsvSource({"FIRST_INPUT, false", "INIT_STATE, false", "FIRST_INPUT, true", "INIT_STATE, true"})
    void oneRowGreedyStepsEqualTheTeacherForcedWholeSequence(ImageInjection injection, boolean merge) {
        int t = 8;
        float[][] f = features(1, 5);
        Random random = new Random(6);
        long[] caption = new long[t];
        caption[0] = Vocabulary.START;
        for (int i = 1; i < t; i++) {
            caption[i] = 3 + random.nextInt(V - 3);
        }
        try (LstmCaptionDecoder decoder = perturbedDecoder(config(injection, 2, 0.3, merge), 7, 0.2f);
                NDManager m = NDManager.newBaseManager()) {
            NDArray logits = decoder.block().forward(new ParameterStore(m, false),
                    new NDList(m.create(f), m.create(new long[][] {caption})), false).singletonOrThrow();
            float[] teacher = logits.logSoftmax(2).toFloatArray();
            DecoderState state = decoder.start(f);
            for (int step = 0; step < t; step++) {
                CaptionDecoder.Step s = decoder.step(state, new int[] {(int) caption[step]});
                state = advance(state, s);
                assertThat(s.logProbs()).hasDimensions(1, V);
                for (int v = 0; v < V; v++) {
                    assertThat(s.logProbs()[0][v]).as("step %d token %d", step, v)
                            .isCloseTo(teacher[step * V + v], within(1e-5f));
                }
            }
            state.close();
        }
    }

    @ParameterizedTest(name = "{0}, merge {1}")
    @CsvSource({"FIRST_INPUT, false", "INIT_STATE, false", "FIRST_INPUT, true", "INIT_STATE, true"})
    void reorderedAndDuplicatedBeamsEqualTheOperatorPath(ImageInjection injection, boolean merge) {
        float[][] all = features(BIG, 8);
        Random random = new Random(9);
        // like a beam search: 3 images' rows grow to 5 beams (one duplicated, moved), then reverse
        int[][] smallSelects = {{2, 0, 2, 1, 0}, {4, 3, 2, 1, 0}, {1, 1, 4, 0, 2}};
        try (LstmCaptionDecoder decoder = perturbedDecoder(config(injection, 2, 0.3, merge), 13, 0.2f)) {
            DecoderState big = decoder.start(all);
            DecoderState small = decoder.start(Arrays.copyOf(all, 3));
            for (int step = 0; step <= smallSelects.length; step++) {
                int[] t = tokens(BIG, random);
                CaptionDecoder.Step b = decoder.step(big, t);
                CaptionDecoder.Step s = decoder.step(small, Arrays.copyOf(t, small.batchSize()));
                big = advance(big, b);
                small = advance(small, s);
                int[] same = new int[small.batchSize()];
                Arrays.setAll(same, i -> i);
                assertRowsEqual(s.logProbs(), b.logProbs(), same, "step " + step);
                if (step == smallSelects.length) {
                    break;
                }
                // the big batch makes the same moves in its first rows and keeps the rest
                int[] bigSelect = new int[BIG];
                Arrays.setAll(bigSelect, i -> i);
                System.arraycopy(smallSelects[step], 0, bigSelect, 0, smallSelects[step].length);
                DecoderState bigNext = decoder.select(big, bigSelect);
                DecoderState smallNext = decoder.select(small, smallSelects[step]);
                big.close();
                small.close();
                big = bigNext;
                small = smallNext;
            }
            big.close();
            small.close();
        }
    }

    @Test
    void parametersChangedAfterATrainingForwardPassReachTheFastPath() {
        float[][] all = features(BIG, 10);
        try (LstmCaptionDecoder decoder = perturbedDecoder(config(ImageInjection.FIRST_INPUT, 1, 0.3), 17, 0.2f);
                NDManager m = NDManager.newBaseManager()) {
            float[] before = stepSmall(decoder, all)[0];
            long version = decoder.block().parameterVersion();
            // What a trainer does: a forward pass in training mode, then an in-place update.
            decoder.block().forward(new ParameterStore(m, false),
                    new NDList(m.create(Arrays.copyOf(all, 1)), m.create(new long[][] {{1, 5}})), true);
            assertThat(decoder.block().parameterVersion()).isGreaterThan(version);
            for (Pair<String, Parameter> p : decoder.block().getParameters()) {
                p.getValue().getArray().addi(0.05f);
            }
            float[][] small = stepSmall(decoder, all);
            float[][] big = stepBig(decoder, all);
            assertThat(small[0][4]).as("the update changed the log-probabilities").isNotCloseTo(before[4], within(1e-3f));
            assertRowsEqual(small, big, new int[] {0, 1}, "after the update");
        }
    }

    @Test
    void parametersChangedInPlaceAreSeenAfterParametersChanged() {
        float[][] all = features(BIG, 12);
        try (LstmCaptionDecoder decoder = perturbedDecoder(config(ImageInjection.INIT_STATE, 2, 0.3), 19, 0.2f)) {
            stepSmall(decoder, all);
            for (Pair<String, Parameter> p : decoder.block().getParameters()) {
                p.getValue().getArray().muli(1.1f);
            }
            decoder.block().parametersChanged();
            assertRowsEqual(stepSmall(decoder, all), stepBig(decoder, all), new int[] {0, 1}, "after the change");
        }
    }

    @Test
    void stepsAndRebuildsLeaveTheNDArrayCountFlat() {
        try (LstmCaptionDecoder decoder = perturbedDecoder(config(ImageInjection.FIRST_INPUT, 1, 0.3), 23, 0.2f)) {
            NDManager root = decoder.manager().getParentManager();
            NDManager system = NDManager.newBaseManager().getParentManager();
            float[][] f = features(3, 1);
            run(decoder, f, 5);
            int before = root.getManagedArrays().size();
            int systemBefore = system.getManagedArrays().size();
            for (int round = 0; round < 20; round++) {
                decoder.block().parametersChanged(); // forces a rebuild of the fast copy
                run(decoder, f, 50);
            }
            assertThat(root.getManagedArrays()).hasSize(before);
            assertThat(system.getManagedArrays()).hasSize(systemBefore);
        }
    }

    private static void run(LstmCaptionDecoder decoder, float[][] f, int steps) {
        DecoderState state = decoder.start(f);
        int[] prev = new int[f.length];
        Arrays.fill(prev, Vocabulary.START);
        for (int i = 0; i < steps; i++) {
            state = advance(state, decoder.step(state, prev));
            DecoderState selected = decoder.select(state, new int[] {2, 0, 0});
            state.close();
            state = selected;
            Arrays.fill(prev, 1 + i % (V - 1));
        }
        state.close();
    }

    private static float[][] stepSmall(LstmCaptionDecoder decoder, float[][] all) {
        try (DecoderState s = decoder.start(Arrays.copyOf(all, 2))) {
            CaptionDecoder.Step step = decoder.step(s, new int[] {1, 1});
            step.state().close();
            return step.logProbs();
        }
    }

    private static float[][] stepBig(LstmCaptionDecoder decoder, float[][] all) {
        try (DecoderState s = decoder.start(all)) {
            int[] start = new int[all.length];
            Arrays.fill(start, 1);
            CaptionDecoder.Step step = decoder.step(s, start);
            step.state().close();
            return step.logProbs();
        }
    }

    @Test
    void thresholdSitsBetweenTheTestedBatchSizes() {
        assertThat(LstmCaptionDecoder.FAST_STEP_MAX_ROWS).isGreaterThan(5).isLessThanOrEqualTo(BIG);
    }
}
