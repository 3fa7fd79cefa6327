package io.captioner.models.decoder;

import io.captioner.models.internal.ParameterFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.captioner.CaptionDecoder;
import io.captioner.CaptionerException;
import io.captioner.DecoderState;
import io.captioner.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LstmCaptionDecoderTest {

    private static final int V = 23;
    private static final int D = StepFixtures.D;

    private static DecoderConfig config(ImageInjection mode, int layers) {
        return config(mode, layers, false);
    }

    private static DecoderConfig config(ImageInjection mode, int layers, boolean merge) {
        return DecoderConfig.builder().setVocabularySize(V).setFeatureSize(D).optEmbeddingSize(16)
                .optHiddenSize(32).optNumLayers(layers).optDropout(0.5).optImageInjection(mode)
                .optImageMerge(merge).build();
    }

    private static long[][] randomCaptions(int rows, int length, long seed) {
        Random r = new Random(seed);
        long[][] t = new long[rows][length];
        for (long[] row : t) {
            row[0] = Vocabulary.START;
            for (int j = 1; j < length; j++) {
                row[j] = 3 + r.nextInt(V - 3);
            }
        }
        return t;
    }

    @ParameterizedTest(name = "{0}, {1} layer(s), merge {2}")
    @CsvSource({"FIRST_INPUT, 1, false", "INIT_STATE, 1, false", "FIRST_INPUT, 2, false", "INIT_STATE, 2, false",
        "FIRST_INPUT, 1, true", "INIT_STATE, 2, true"})
    void teacherForcedLogitsEqualStepByStepLogits(ImageInjection mode, int layers, boolean merge) {
        int b = 3;
        int t = 7;
        float[][] features = StepFixtures.features(b, 1);
        long[][] tokens = randomCaptions(b, t, 2);
        try (LstmCaptionDecoder decoder = LstmCaptionDecoder.create(config(mode, layers, merge), 42);
                NDManager m = NDManager.newBaseManager()) {
            NDArray f = m.create(features);
            NDArray ids = m.create(tokens);
            NDArray logits = decoder.block().forward(new ParameterStore(m, false), new NDList(f, ids), false)
                    .singletonOrThrow();
            assertThat(logits.getShape()).isEqualTo(new Shape(b, t, V));
            float[] teacher = logits.logSoftmax(2).toFloatArray();

            DecoderState state = decoder.start(features);
            for (int step = 0; step < t; step++) {
                int[] prev = new int[b];
                for (int i = 0; i < b; i++) {
                    prev[i] = (int) tokens[i][step];
                }
                CaptionDecoder.Step s = decoder.step(state, prev);
                state.close();
                state = s.state();
                for (int i = 0; i < b; i++) {
                    for (int v = 0; v < V; v++) {
                        assertThat(s.logProbs()[i][v])
                                .as("row %d step %d token %d", i, step, v)
                                .isCloseTo(teacher[(i * t + step) * V + v], within(1e-5f));
                    }
                }
            }
            state.close();
        }
    }

    @Test
    void logProbsAreNormalisedDistributions() {
        try (LstmCaptionDecoder decoder = LstmCaptionDecoder.create(config(ImageInjection.FIRST_INPUT, 1), 7);
                DecoderState s0 = decoder.start(StepFixtures.features(2, 3))) {
            CaptionDecoder.Step s = decoder.step(s0, new int[] {Vocabulary.START, Vocabulary.START});
            try (DecoderState ignored = s.state()) {
                for (float[] row : s.logProbs()) {
                    assertThat(row).hasSize(V);
                    double sum = 0;
                    for (float lp : row) {
                        sum += Math.exp(lp);
                    }
                    assertThat(sum).isCloseTo(1.0, within(1e-4));
                }
            }
        }
    }

    @Test
    void thousandsOfStepsLeaveTheNDArrayCountFlat() {
        try (LstmCaptionDecoder decoder = LstmCaptionDecoder.create(config(ImageInjection.INIT_STATE, 2), 5)) {
            NDManager parameters = decoder.manager().getParentManager();
            NDManager system = NDManager.newBaseManager().getParentManager();
            float[][] features = StepFixtures.features(4, 9);
            // warm up once so lazily created engine resources exist before counting
            runSteps(decoder, features, 5);
            int before = parameters.getManagedArrays().size();
            int systemBefore = system.getManagedArrays().size();
            runSteps(decoder, features, 3000);
            assertThat(parameters.getManagedArrays()).hasSize(before);
            assertThat(system.getManagedArrays()).hasSize(systemBefore);
        }
    }

    private static void runSteps(LstmCaptionDecoder decoder, float[][] features, int steps) {
        DecoderState state = decoder.start(features);
        int[] prev = new int[features.length];
        java.util.Arrays.fill(prev, Vocabulary.START);
        for (int i = 0; i < steps; i++) {
            CaptionDecoder.Step s = decoder.step(state, prev);
            state.close();
            state = s.state();
            if (i % 3 == 0) {
                DecoderState selected = decoder.select(state, new int[] {3, 2, 1, 0});
                state.close();
                state = selected;
            }
            for (int r = 0; r < prev.length; r++) {
                prev[r] = argmax(s.logProbs()[r]);
            }
        }
        state.close();
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    @ParameterizedTest(name = "merge {0}")
    @CsvSource({"false", "true"})
    void selectGathersRowsSoLaterStepsMatchTheSourceRows(boolean merge) {
        try (LstmCaptionDecoder decoder = LstmCaptionDecoder.create(config(ImageInjection.FIRST_INPUT, 2, merge), 11);
                DecoderState s0 = decoder.start(StepFixtures.features(3, 4));
                DecoderState picked = decoder.select(s0, new int[] {2, 2, 0})) {
            assertThat(picked.batchSize()).isEqualTo(3);
            CaptionDecoder.Step full = decoder.step(s0, new int[] {1, 1, 1});
            CaptionDecoder.Step sub = decoder.step(picked, new int[] {1, 1, 1});
            full.state().close();
            sub.state().close();
            // 1e-5, the kernels' documented agreement: the Java kernels block rows in registers, so a
            // row's sums may be ordered differently in a step of other rows
            assertThat(sub.logProbs()[0]).containsExactly(full.logProbs()[2], within(1e-5f));
            assertThat(sub.logProbs()[1]).containsExactly(full.logProbs()[2], within(1e-5f));
            assertThat(sub.logProbs()[2]).containsExactly(full.logProbs()[0], within(1e-5f));
        }
    }

    @Test
    void closingAStateTwiceIsHarmlessAndAClosedStateIsRejected() {
        try (LstmCaptionDecoder decoder = LstmCaptionDecoder.create(config(ImageInjection.FIRST_INPUT, 1), 1)) {
            DecoderState s = decoder.start(StepFixtures.features(1, 1));
            s.close();
            s.close();
            assertThatThrownBy(() -> decoder.step(s, new int[] {1})).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void mergeTermShiftsEveryStepsLogitsByTheOutputWeightsTimesTheProjectedImage() {
        int b = 2;
        try (LstmCaptionDecoder decoder = LstmCaptionDecoder.create(config(ImageInjection.INIT_STATE, 1, true), 5);
                NDManager m = NDManager.newBaseManager()) {
            ShowAndTellDecoder block = decoder.block();
            ParameterStore ps = new ParameterStore(m, false);
            NDArray features = m.create(StepFixtures.features(b, 6));
            NDArray merge = block.mergeTerm(ps, features, false);
            assertThat(merge.getShape()).isEqualTo(new Shape(b, 32));
            NDArray h = m.randomNormal(new Shape(1, b, 32));
            NDArray c = m.randomNormal(new Shape(1, b, 32));
            NDArray tokens = m.create(new long[] {4, 9});
            NDArray with = block.step(ps, tokens, h, c, merge, false).get(0);
            NDArray without = block.step(ps, tokens, h, c, m.zeros(merge.getShape()), false).get(0);
            NDArray outputWeight = block.getParameters().stream().filter(p -> p.getKey().endsWith("output_weight"))
                    .findFirst().orElseThrow().getValue().getArray();
            float[] expected = merge.matMul(outputWeight.transpose()).toFloatArray();
            float[] shift = with.sub(without).toFloatArray();
            assertThat(shift).hasSize(b * V);
            for (int i = 0; i < shift.length; i++) {
                assertThat(shift[i]).as("row %d token %d", i / V, i % V).isCloseTo(expected[i], within(1e-4f));
            }
            assertThat(expected[0]).isNotEqualTo(expected[V]); // the rows' images differ, so do their shifts
            assertThatThrownBy(() -> block.step(ps, tokens, h, c, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("imageMerge=true")
                    .hasMessageContaining("none");
        }
        try (LstmCaptionDecoder plain = LstmCaptionDecoder.create(config(ImageInjection.INIT_STATE, 1), 5);
                NDManager m = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            assertThat(plain.block().mergeTerm(ps, m.create(StepFixtures.features(1, 6)), false)).isNull();
            assertThatThrownBy(() -> plain.block().step(ps, m.create(new long[] {4}), m.zeros(new Shape(1, 1, 32)),
                    m.zeros(new Shape(1, 1, 32)), m.zeros(new Shape(1, 32)), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("imageMerge=false");
        }
    }

    @Test
    void configMetadataWithoutImageMergeReadsAsNoMergeAndABadValueIsNamed() {
        Path file = Path.of("old-decoder.params");
        DecoderConfig merged = config(ImageInjection.INIT_STATE, 1, true);
        Map<String, String> metadata = LstmCaptionDecoder.configToMetadata(merged);
        assertThat(metadata).containsEntry("imageMerge", "true");
        assertThat(LstmCaptionDecoder.configFromMetadata(metadata, file)).isEqualTo(merged);
        metadata.remove("imageMerge"); // written before the option existed
        assertThat(LstmCaptionDecoder.configFromMetadata(metadata, file).imageMerge()).isFalse();
        metadata.put("imageMerge", "yes");
        assertThatThrownBy(() -> LstmCaptionDecoder.configFromMetadata(metadata, file))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("old-decoder.params")
                .hasMessageContaining("imageMerge").hasMessageContaining("yes");
    }

    @Test
    void aMergeDecoderFileIsRefusedWhereTheModelHasNoMerge(@TempDir Path dir) {
        Path file = dir.resolve("decoder.params");
        try (LstmCaptionDecoder decoder = LstmCaptionDecoder.create(config(ImageInjection.INIT_STATE, 1, true), 3)) {
            decoder.save(file);
        }
        assertThatThrownBy(() -> LstmCaptionDecoder.load(file, config(ImageInjection.INIT_STATE, 1)))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("imageMerge")
                .hasMessageContaining(file.toString());
    }

    @Test
    void badInputsAreRejectedWithTheRuleAndValue() {
        try (LstmCaptionDecoder decoder = LstmCaptionDecoder.create(config(ImageInjection.FIRST_INPUT, 1), 1);
                DecoderState s = decoder.start(StepFixtures.features(2, 1))) {
            assertThatThrownBy(() -> decoder.start(new float[][] {new float[D + 1]}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("features[0]")
                    .hasMessageContaining(Integer.toString(D + 1));
            assertThatThrownBy(() -> decoder.step(s, new int[] {1}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 ids");
            assertThatThrownBy(() -> decoder.step(s, new int[] {1, V}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("previousTokens[1]");
            assertThatThrownBy(() -> decoder.select(s, new int[] {2}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows[0]");
        }
    }

    @ParameterizedTest(name = "merge {0}")
    @CsvSource({"false", "true"})
    void savedDecoderReloadsWithIdenticalOutputs(boolean merge, @TempDir Path dir) {
        Path file = dir.resolve("decoder.params");
        float[][] features = StepFixtures.features(2, 8);
        float[][] expected;
        DecoderConfig cfg = config(ImageInjection.INIT_STATE, 2, merge);
        try (LstmCaptionDecoder decoder = LstmCaptionDecoder.create(cfg, 3)) {
            expected = firstStep(decoder, features);
            decoder.save(file);
        }
        try (LstmCaptionDecoder loaded = LstmCaptionDecoder.load(file, cfg)) {
            assertThat(loaded.config()).isEqualTo(cfg);
            float[][] actual = firstStep(loaded, features);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).containsExactly(expected[i]);
            }
        }
        try (LstmCaptionDecoder other = LstmCaptionDecoder.create(cfg, 4)) {
            assertThat(firstStep(other, features)[0]).isNotEqualTo(expected[0]);
        }
    }

    private static float[][] firstStep(LstmCaptionDecoder decoder, float[][] features) {
        try (DecoderState s = decoder.start(features)) {
            CaptionDecoder.Step step = decoder.step(s, new int[] {1, 1});
            step.state().close();
            return step.logProbs();
        }
    }

    @Test
    void loadingADecoderOfAnotherVocabularySizeFailsNamingTheField(@TempDir Path dir) {
        Path file = dir.resolve("decoder.params");
        try (LstmCaptionDecoder decoder = LstmCaptionDecoder.create(config(ImageInjection.FIRST_INPUT, 1), 3)) {
            decoder.save(file);
        }
        DecoderConfig bigger = config(ImageInjection.FIRST_INPUT, 1).toBuilder().setVocabularySize(V + 1).build();
        assertThatThrownBy(() -> LstmCaptionDecoder.load(file, bigger))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("vocabularySize").hasMessageContaining(Integer.toString(V))
                .hasMessageContaining(file.toString());
    }

    @Test
    void truncatedParameterFileIsRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("decoder.params");
        try (LstmCaptionDecoder decoder = LstmCaptionDecoder.create(config(ImageInjection.FIRST_INPUT, 1), 3)) {
            decoder.save(file);
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> LstmCaptionDecoder.load(file))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("truncated")
                .hasMessageContaining(file.toString());
    }
}
