package io.captioner.models.decoder;

import static io.captioner.models.decoder.AttentionFixtures.D;
import static io.captioner.models.decoder.AttentionFixtures.L;
import static io.captioner.models.decoder.AttentionFixtures.V;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.captioner.CaptionDecoder;
import io.captioner.CaptionerException;
import io.captioner.DecoderState;
import io.captioner.models.internal.ParameterFile;
import io.captioner.search.TokenIds;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The attention decoder as a {@link CaptionDecoder}: the step path, states, memory, files. */
class AttentionCaptionDecoderTest {

    @TempDir Path dir;

    /**
     * The proof that training and inference compute the same model: teacher forcing over whole
     * captions, and the decoder's steps with their state handling (a row permutation midway, so the
     * image context is gathered), give the same log-probabilities and attention weights to 1e-5.
     */
    @ParameterizedTest
    @MethodSource("io.captioner.models.decoder.AttentionFixtures#architectures")
    void teacherForcingAndTheStepPathGiveTheSameLogProbsAndAttention(AttentionActivation activation,
            boolean deepOutput) {
        int b = 3;
        int t = 7;
        float[][] features = AttentionFixtures.features(b, 11);
        long[][] captions = AttentionFixtures.captions(b, t, 12);
        try (AttentionCaptionDecoder decoder = AttentionFixtures.perturbedDecoder(
                        AttentionFixtures.config(activation, 0.5, deepOutput), 13);
                NDManager m = NDManager.newBaseManager()) {
            NDList teacher = decoder.block().forward(new ParameterStore(m, false),
                    new NDList(m.create(features).reshape(b, L, D), m.create(captions)), false);
            float[] logProbs = teacher.get(0).logSoftmax(2).toFloatArray();
            float[] alphas = teacher.get(1).toFloatArray();

            int[] rowOf = {0, 1, 2}; // decoder row -> teacher row
            DecoderState state = decoder.start(features, true);
            try {
                for (int step = 0; step < t; step++) {
                    if (step == 3) {
                        int[] permutation = {2, 0, 1};
                        DecoderState selected = decoder.select(state, permutation);
                        state.close();
                        state = selected;
                        rowOf = new int[] {rowOf[2], rowOf[0], rowOf[1]};
                    }
                    int[] previous = new int[b];
                    for (int i = 0; i < b; i++) {
                        previous[i] = (int) captions[rowOf[i]][step];
                    }
                    CaptionDecoder.Step s = decoder.step(state, previous);
                    state.close();
                    state = s.state();
                    assertThat(s.attention()).hasNumberOfRows(b);
                    for (int i = 0; i < b; i++) {
                        int row = rowOf[i];
                        for (int v = 0; v < V; v++) {
                            assertThat(s.logProbs()[i][v]).as("row %d step %d token %d", row, step, v)
                                    .isCloseTo(logProbs[(row * t + step) * V + v], within(1e-5f));
                        }
                        for (int l = 0; l < L; l++) {
                            assertThat(s.attention()[i][l]).as("row %d step %d location %d", row, step, l)
                                    .isCloseTo(alphas[(row * t + step) * L + l], within(1e-5f));
                        }
                    }
                }
            } finally {
                state.close();
            }
        }
    }

    @Test
    void stepsReportAttentionOnlyWhenTheStateWasStartedWithIt() {
        try (AttentionCaptionDecoder decoder = AttentionCaptionDecoder.create(
                AttentionFixtures.config(AttentionActivation.TANH, 0), 2)) {
            assertThat(decoder.hasAttention()).isTrue();
            assertThat(decoder.featureShape()).containsExactly(AttentionFixtures.H, AttentionFixtures.W, D);
            assertThat(decoder.featureSize()).isEqualTo(L * D);
            float[][] features = AttentionFixtures.features(2, 1);
            try (DecoderState plain = decoder.start(features);
                    DecoderState withWeights = decoder.start(features, true)) {
                CaptionDecoder.Step a = decoder.step(plain, new int[] {TokenIds.START, TokenIds.START});
                CaptionDecoder.Step b = decoder.step(withWeights, new int[] {TokenIds.START, TokenIds.START});
                a.state().close();
                assertThat(a.attention()).isNull();
                assertThat(b.attention()).hasNumberOfRows(2);
                assertThat(b.attention()[1]).hasSize(L);
                assertThat(a.logProbs()[1]).containsExactly(b.logProbs()[1], within(0f));
                // the flag survives select
                try (DecoderState picked = decoder.select(b.state(), new int[] {1, 1, 0})) {
                    b.state().close();
                    CaptionDecoder.Step c = decoder.step(picked, new int[] {5, 6, 7});
                    c.state().close();
                    assertThat(c.attention()).hasNumberOfRows(3);
                }
            }
        }
    }

    @Test
    void selectGathersRowsSoLaterStepsMatchTheSourceRows() {
        try (AttentionCaptionDecoder decoder = AttentionFixtures.perturbedDecoder(
                        AttentionFixtures.config(AttentionActivation.RELU, 0), 3);
                DecoderState s0 = decoder.start(AttentionFixtures.features(3, 4), true);
                DecoderState picked = decoder.select(s0, new int[] {2, 2, 0, 1})) {
            assertThat(picked.batchSize()).isEqualTo(4);
            CaptionDecoder.Step full = decoder.step(s0, new int[] {1, 5, 9});
            CaptionDecoder.Step sub = decoder.step(picked, new int[] {9, 9, 1, 5});
            full.state().close();
            sub.state().close();
            int[] source = {2, 2, 0, 1};
            for (int i = 0; i < 4; i++) {
                assertThat(sub.logProbs()[i]).containsExactly(full.logProbs()[source[i]], within(1e-6f));
                assertThat(sub.attention()[i]).containsExactly(full.attention()[source[i]], within(1e-6f));
            }
        }
    }

    @Test
    void manyStepsAndSelectsLeaveTheNDArrayCountFlat() {
        try (AttentionCaptionDecoder decoder = AttentionCaptionDecoder.create(
                AttentionFixtures.config(AttentionActivation.TANH, 0), 5)) {
            NDManager parameters = decoder.manager().getParentManager();
            NDManager system = NDManager.newBaseManager().getParentManager();
            float[][] features = AttentionFixtures.features(4, 9);
            int idle = parameters.getManagedArrays().size();
            runSteps(decoder, features, 10); // lazily created engine resources exist before counting
            int systemBefore = system.getManagedArrays().size();
            int shortRun = runSteps(decoder, features, 20);
            int longRun = runSteps(decoder, features, 1000);
            assertThat(longRun).as("arrays alive while decoding, after 1000 steps vs 20").isEqualTo(shortRun);
            assertThat(parameters.getManagedArrays()).hasSize(idle);
            assertThat(system.getManagedArrays()).hasSize(systemBefore);
        }
    }

    /**
     * Steps with attention, a same-image reordering every third step and an image-changing gather
     * every fifth; returns the arrays alive in the decoder's tree at the end, before the state closes.
     */
    private static int runSteps(AttentionCaptionDecoder decoder, float[][] features, int steps) {
        NDManager parameters = decoder.manager().getParentManager();
        DecoderState state = decoder.start(features, true);
        try {
            int[] previous = new int[features.length];
            Arrays.fill(previous, TokenIds.START);
            for (int i = 0; i < steps; i++) {
                CaptionDecoder.Step s = decoder.step(state, previous);
                state.close();
                state = s.state();
                int[] rows = i % 5 == 4 ? new int[] {3, 2, 1, 0} : i % 3 == 0 ? new int[] {0, 1, 2, 3} : null;
                if (rows != null) {
                    DecoderState selected = decoder.select(state, rows);
                    state.close();
                    state = selected;
                }
                for (int r = 0; r < previous.length; r++) {
                    previous[r] = TokenIds.FIRST_WORD + (i + r) % (V - TokenIds.FIRST_WORD);
                }
            }
            return parameters.getManagedArrays().size();
        } finally {
            state.close();
        }
    }

    @Test
    void startRejectsARowOfTheWrongLengthNamingTheMapShapeAndTheLength() {
        try (AttentionCaptionDecoder decoder = AttentionCaptionDecoder.create(
                AttentionFixtures.config(AttentionActivation.TANH, 0), 1)) {
            float[][] features = {new float[L * D], new float[D]};
            assertThatThrownBy(() -> decoder.start(features))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("features[1] must be a 2x3x5 map (H x W x D, location-major, channels last)"
                            + " of 30 floats, found 5 floats");
        }
    }

    @Test
    void closedStatesAndStatesOfOtherDecodersAreRejected() {
        try (AttentionCaptionDecoder a = AttentionCaptionDecoder.create(
                        AttentionFixtures.config(AttentionActivation.TANH, 0), 1);
                AttentionCaptionDecoder b = AttentionCaptionDecoder.create(
                        AttentionFixtures.config(AttentionActivation.TANH, 0), 1)) {
            DecoderState s = a.start(AttentionFixtures.features(1, 1));
            assertThatThrownBy(() -> b.step(s, new int[] {1})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not created by this decoder");
            s.close();
            s.close();
            assertThatThrownBy(() -> a.step(s, new int[] {1})).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void savedDecoderLoadsWithItsConfigurationAndGivesTheSameSteps() {
        Path file = dir.resolve("attention.params");
        AttentionDecoderConfig config = AttentionFixtures.config(AttentionActivation.RELU, 0.25).toBuilder()
                .optWordDropout(0.3).build();
        float[][] features = AttentionFixtures.features(2, 7);
        float[][] expected;
        float[][] expectedAttention;
        try (AttentionCaptionDecoder decoder = AttentionFixtures.perturbedDecoder(config, 9)) {
            decoder.save(file);
            try (DecoderState s = decoder.start(features, true)) {
                CaptionDecoder.Step step = decoder.step(s, new int[] {1, 1});
                step.state().close();
                expected = step.logProbs();
                expectedAttention = step.attention();
            }
        }
        try (AttentionCaptionDecoder loaded = AttentionCaptionDecoder.load(file);
                DecoderState s = loaded.start(features, true)) {
            assertThat(loaded.config()).isEqualTo(config);
            CaptionDecoder.Step step = loaded.step(s, new int[] {1, 1});
            step.state().close();
            assertThat(step.logProbs()).isDeepEqualTo(expected);
            assertThat(step.attention()).isDeepEqualTo(expectedAttention);
        }
    }

    /** Files written before the deep output layer existed lack its fields and have no such layer. */
    @Test
    void aFileWithoutTheDeepOutputFieldsLoadsAsTheDecoderWithoutThatLayer() {
        Path file = dir.resolve("old.params");
        AttentionDecoderConfig old = AttentionFixtures.config(AttentionActivation.TANH, 0.5, false);
        float[][] features = AttentionFixtures.features(2, 8);
        float[][] expected;
        try (AttentionCaptionDecoder decoder = AttentionFixtures.perturbedDecoder(old, 10)) {
            ParameterFile current = AttentionCaptionDecoder.toParameterFile(decoder.block());
            Map<String, String> metadata = new LinkedHashMap<>(current.metadata());
            metadata.remove("deepOutput");
            metadata.remove("wordDropout");
            new ParameterFile(current.kind(), metadata, current.arrays()).write(file);
            try (DecoderState s = decoder.start(features)) {
                CaptionDecoder.Step step = decoder.step(s, new int[] {1, 1});
                step.state().close();
                expected = step.logProbs();
            }
        }
        try (AttentionCaptionDecoder loaded = AttentionCaptionDecoder.load(file);
                DecoderState s = loaded.start(features)) {
            assertThat(loaded.config()).isEqualTo(old);
            CaptionDecoder.Step step = loaded.step(s, new int[] {1, 1});
            step.state().close();
            assertThat(step.logProbs()).isDeepEqualTo(expected);
        }
    }

    @Test
    void aDeepOutputFieldThatIsNotABooleanIsRefusedNamingFileAndValue() {
        Map<String, String> metadata = new LinkedHashMap<>(AttentionCaptionDecoder.configToMetadata(
                AttentionFixtures.config(AttentionActivation.TANH, 0.5)));
        metadata.put("deepOutput", "yes");
        assertThatThrownBy(() -> AttentionCaptionDecoder.configFromMetadata(metadata, Path.of("d.params")))
                .isInstanceOf(CaptionerException.class)
                .hasMessage("d.params: attention decoder field deepOutput must be true or false, found yes");
    }

    @Test
    void loadingTheLstmDecodersFileIsRefusedNamingBothKinds() {
        Path file = dir.resolve("lstm.params");
        try (LstmCaptionDecoder lstm = LstmCaptionDecoder.create(DecoderConfig.builder().setVocabularySize(V)
                .setFeatureSize(L * D).optEmbeddingSize(4).optHiddenSize(4).build(), 1)) {
            lstm.save(file);
        }
        assertThatThrownBy(() -> AttentionCaptionDecoder.load(file))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("lstm.params")
                .hasMessageContaining("holds a show-and-tell-decoder, expected a show-attend-tell-decoder");
    }

    @Test
    void loadingWithAnotherExpectedArchitectureIsRefusedNamingTheField() {
        Path file = dir.resolve("attention.params");
        AttentionDecoderConfig config = AttentionFixtures.config(AttentionActivation.TANH, 0.5);
        try (AttentionCaptionDecoder decoder = AttentionCaptionDecoder.create(config, 1)) {
            decoder.save(file);
        }
        AttentionDecoderConfig wider = config.toBuilder().setFeatureShape(AttentionFixtures.H, 4, D).optDropout(0)
                .build();
        assertThatThrownBy(() -> AttentionCaptionDecoder.load(file, wider))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("attention decoder mapWidth is 3 but the model needs 4");
        try (AttentionCaptionDecoder same = AttentionCaptionDecoder.load(file, config.toBuilder().optDropout(0)
                .build())) {
            assertThat(same.config().dropout()).isEqualTo(0.5); // dropout is not part of the architecture
        }
    }
}
