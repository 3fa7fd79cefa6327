package io.captioner.models.decoder;

import static io.captioner.models.decoder.AttentionFixtures.D;
import static io.captioner.models.decoder.AttentionFixtures.L;
import static io.captioner.models.decoder.AttentionFixtures.V;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.captioner.search.TokenIds;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The attention block: shapes, the teacher-forcing path against the step path, the regulariser, learning. */
class ShowAttendTellDecoderTest {

    @ParameterizedTest
    @MethodSource("io.captioner.models.decoder.AttentionFixtures#architectures")
    void teacherForcedLogitsAndWeightsEqualTheBlocksStepByStep(AttentionActivation activation, boolean deepOutput) {
        int b = 3;
        int t = 6;
        try (AttentionCaptionDecoder decoder = AttentionFixtures.perturbedDecoder(
                        AttentionFixtures.config(activation, 0.5, deepOutput), 4);
                NDManager m = NDManager.newBaseManager()) {
            ShowAttendTellDecoder block = decoder.block();
            ParameterStore ps = new ParameterStore(m, false);
            NDArray features = m.create(AttentionFixtures.features(b, 1)).reshape(b, L, D);
            long[][] captions = AttentionFixtures.captions(b, t, 2);
            NDList teacher = block.forward(ps, new NDList(features, m.create(captions)), false);
            assertThat(teacher.get(0).getShape()).isEqualTo(new Shape(b, t, V));
            assertThat(teacher.get(1).getShape()).isEqualTo(new Shape(b, t, L));
            float[] logits = teacher.get(0).toFloatArray();
            float[] alphas = teacher.get(1).toFloatArray();

            NDList state = block.initialState(ps, features, false);
            NDArray h = state.get(0);
            NDArray c = state.get(1);
            for (int step = 0; step < t; step++) {
                long[] previous = new long[b];
                for (int i = 0; i < b; i++) {
                    previous[i] = captions[i][step];
                }
                NDList out = block.step(ps, m.create(previous), h, c, features, state.get(2), false);
                float[] stepLogits = out.get(0).toFloatArray();
                float[] stepAlphas = out.get(1).toFloatArray();
                for (int i = 0; i < b; i++) {
                    for (int v = 0; v < V; v++) {
                        assertThat(stepLogits[i * V + v]).as("logit row %d step %d token %d", i, step, v)
                                .isCloseTo(logits[(i * t + step) * V + v], within(1e-5f));
                    }
                    for (int l = 0; l < L; l++) {
                        assertThat(stepAlphas[i * L + l]).as("alpha row %d step %d location %d", i, step, l)
                                .isCloseTo(alphas[(i * t + step) * L + l], within(1e-5f));
                    }
                }
                h = out.get(2);
                c = out.get(3);
            }
        }
    }

    /**
     * The deep output layer computed by hand from the block's parameters and the step's own
     * attention weights: {@code logits = L_o tanh(E y + L_h h_t + L_z β Σ_l α_l a_l) + b_o}.
     */
    @Test
    void deepOutputScoresWordsFromThePreviousWordTheNewStateAndTheGatedContext() {
        int b = 2;
        try (AttentionCaptionDecoder decoder = AttentionFixtures.perturbedDecoder(
                        AttentionFixtures.config(AttentionActivation.TANH, 0.5), 21);
                NDManager m = NDManager.newBaseManager()) {
            ShowAttendTellDecoder block = decoder.block();
            ParameterStore ps = new ParameterStore(m, false);
            float[][] f = AttentionFixtures.features(b, 22);
            NDArray features = m.create(f).reshape(b, L, D);
            long[] previous = {TokenIds.FIRST_WORD + 3, TokenIds.FIRST_WORD + 9};
            NDList state = block.initialState(ps, features, false);
            NDList out = block.step(ps, m.create(previous), state.get(0), state.get(1), features, state.get(2), false);
            float[] h0 = state.get(0).toFloatArray();
            float[] alpha = out.get(1).toFloatArray();
            float[] h1 = out.get(2).toFloatArray();
            float[] logits = out.get(0).toFloatArray();
            int e = block.config().embeddingSize();
            int n = block.config().hiddenSize();
            float[] embedding = parameter(block, "embedding");
            float[] gateW = parameter(block, "gate_weight");
            float gateB = parameter(block, "gate_bias")[0];
            float[] lh = parameter(block, "outputHidden_weight");
            float[] lz = parameter(block, "outputContext_weight");
            float[] lo = parameter(block, "output_weight");
            float[] bo = parameter(block, "output_bias");
            for (int i = 0; i < b; i++) {
                double beta = 0;
                for (int k = 0; k < n; k++) {
                    beta += gateW[k] * h0[i * n + k];
                }
                beta = 1 / (1 + Math.exp(-(beta + gateB)));
                double[] z = new double[D];
                for (int l = 0; l < L; l++) {
                    for (int d = 0; d < D; d++) {
                        z[d] += beta * alpha[i * L + l] * f[i][l * D + d];
                    }
                }
                double[] deep = new double[e];
                for (int j = 0; j < e; j++) {
                    double sum = embedding[(int) previous[i] * e + j];
                    for (int k = 0; k < n; k++) {
                        sum += lh[j * n + k] * h1[i * n + k];
                    }
                    for (int d = 0; d < D; d++) {
                        sum += lz[j * D + d] * z[d];
                    }
                    deep[j] = Math.tanh(sum);
                }
                for (int v = 0; v < V; v++) {
                    double expected = bo[v];
                    for (int j = 0; j < e; j++) {
                        expected += lo[v * e + j] * deep[j];
                    }
                    assertThat((double) logits[i * V + v]).as("row %d token %d", i, v).isCloseTo(expected, within(1e-5));
                }
            }
        }
    }

    /** A parameter's values by its name without DJL's child-block number ("06gate_weight" is "gate_weight"). */
    private static float[] parameter(ShowAttendTellDecoder block, String name) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().replaceFirst("^\\d+", "").equals(name)) {
                return p.getValue().getArray().toFloatArray();
            }
        }
        throw new AssertionError("no parameter " + name + " in " + block.getParameters().keys());
    }

    @Test
    void wordDropoutIsTrainingOnlyAndTheOnlyRandomnessWhenOutputDropoutIsOff() {
        AttentionDecoderConfig plain = AttentionFixtures.config(AttentionActivation.TANH, 0);
        try (AttentionCaptionDecoder without = AttentionFixtures.perturbedDecoder(plain, 23);
                AttentionCaptionDecoder with = AttentionFixtures.perturbedDecoder(
                        plain.toBuilder().optWordDropout(0.5).build(), 23);
                NDManager m = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            NDList inputs = new NDList(m.create(AttentionFixtures.features(2, 3)).reshape(2, L, D),
                    m.create(AttentionFixtures.captions(2, 6, 4)));
            float[] eval = with.block().forward(ps, inputs, false).get(0).toFloatArray();
            assertThat(without.block().forward(ps, inputs, false).get(0).toFloatArray())
                    .as("same parameters, no training: word dropout has no effect").containsExactly(eval);
            assertThat(without.block().forward(ps, inputs, true).get(0).toFloatArray())
                    .as("no dropout of any kind: training computes the evaluation logits").containsExactly(eval);
            assertThat(with.block().forward(ps, inputs, true).get(0).toFloatArray()).isNotEqualTo(eval);
        }
    }

    @Test
    void wordDropoutOutsideZeroToOneIsRejectedNamingTheValue() {
        assertThatThrownBy(() -> AttentionFixtures.config(AttentionActivation.TANH, 0).toBuilder()
                .optWordDropout(1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("wordDropout must be in [0, 1), found 1.0");
    }

    @Test
    void rowsSharingImagesGiveTheLogitsAndWeightsOfCopiedRows() {
        int t = 5;
        long[] rowImages = {1, 0, 1, 1};
        try (AttentionCaptionDecoder decoder = AttentionFixtures.perturbedDecoder(
                        AttentionFixtures.config(AttentionActivation.TANH, 0), 24);
                NDManager m = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            float[][] images = AttentionFixtures.features(2, 25);
            float[][] copied = new float[rowImages.length][];
            for (int i = 0; i < rowImages.length; i++) {
                copied[i] = images[(int) rowImages[i]];
            }
            NDArray tokens = m.create(AttentionFixtures.captions(rowImages.length, t, 26));
            NDList shared = decoder.block().forward(ps, new NDList(m.create(images).reshape(2, L, D), tokens,
                    m.create(rowImages)), false);
            NDList perRow = decoder.block().forward(ps, new NDList(
                    m.create(copied).reshape(rowImages.length, L, D), tokens), false);
            for (int k = 0; k < 2; k++) {
                assertThat(shared.get(k).getShape()).isEqualTo(perRow.get(k).getShape());
                float[] expected = perRow.get(k).toFloatArray();
                float[] actual = shared.get(k).toFloatArray();
                for (int j = 0; j < expected.length; j++) {
                    assertThat(actual[j]).as("output %d value %d", k, j).isCloseTo(expected[j], within(1e-6f));
                }
            }
        }
    }

    @Test
    void attentionWeightsAreADistributionOverLocationsThatDependsOnTheHistory() {
        try (AttentionCaptionDecoder decoder = AttentionFixtures.perturbedDecoder(
                        AttentionFixtures.config(AttentionActivation.TANH, 0), 5);
                NDManager m = NDManager.newBaseManager()) {
            NDArray features = m.create(AttentionFixtures.features(2, 3)).reshape(2, L, D);
            NDList out = decoder.block().forward(new ParameterStore(m, false),
                    new NDList(features, m.create(AttentionFixtures.captions(2, 5, 4))), false);
            float[] alphas = out.get(1).toFloatArray();
            for (int row = 0; row < 2 * 5; row++) {
                double sum = 0;
                for (int l = 0; l < L; l++) {
                    assertThat(alphas[row * L + l]).isBetween(0f, 1f);
                    sum += alphas[row * L + l];
                }
                assertThat(sum).as("row %d", row).isCloseTo(1.0, within(1e-5));
            }
            // the first and the last step of a caption attend differently
            float diff = 0;
            for (int l = 0; l < L; l++) {
                diff += Math.abs(alphas[l] - alphas[4 * L + l]);
            }
            assertThat(diff).isGreaterThan(1e-4f);
        }
    }

    @Test
    void dropoutChangesTheLogitsOnlyWhileTraining() {
        try (AttentionCaptionDecoder decoder = AttentionFixtures.perturbedDecoder(
                        AttentionFixtures.config(AttentionActivation.TANH, 0.5), 6);
                NDManager m = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            NDList inputs = new NDList(m.create(AttentionFixtures.features(2, 3)).reshape(2, L, D),
                    m.create(AttentionFixtures.captions(2, 4, 4)));
            float[] eval1 = decoder.block().forward(ps, inputs, false).get(0).toFloatArray();
            float[] eval2 = decoder.block().forward(ps, inputs, false).get(0).toFloatArray();
            float[] train = decoder.block().forward(ps, inputs, true).get(0).toFloatArray();
            assertThat(eval2).containsExactly(eval1);
            assertThat(train).isNotEqualTo(eval1);
        }
    }

    @Test
    void featuresOfAnotherShapeAreRejectedNamingTheExpectedMap() {
        try (AttentionCaptionDecoder decoder = AttentionCaptionDecoder.create(
                        AttentionFixtures.config(AttentionActivation.TANH, 0), 1);
                NDManager m = NDManager.newBaseManager()) {
            NDList inputs = new NDList(m.zeros(new Shape(2, L + 1, D)), m.zeros(new Shape(2, 3)));
            assertThatThrownBy(() -> decoder.block().forward(new ParameterStore(m, false), inputs, false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("features must have shape [B, 6, 5] (a 2x3 map of 5 channels), found (2, 7, 5)");
        }
    }

    @Test
    void doublyStochasticPenaltyEqualsTheHandComputationAveragedOverLocationsAndImages() {
        // B = 2, T = 3, L = 2; the second caption's last step is padding
        float[][][] alpha = {
            {{0.7f, 0.3f}, {0.4f, 0.6f}, {0.1f, 0.9f}},
            {{0.5f, 0.5f}, {0.2f, 0.8f}, {0.9f, 0.1f}}
        };
        long[][] targets = {{7, 8, TokenIds.END}, {9, TokenIds.END, TokenIds.PAD}};
        double lambda = 1.5;
        // image 0: sums over t = (1.2, 1.8) -> mean of (1-1.2)^2, (1-1.8)^2 = (0.04 + 0.64) / 2 = 0.34
        // image 1: real steps 0, 1 -> (0.7, 1.3) -> (0.09 + 0.09) / 2 = 0.09
        double expected = lambda * (0.34 + 0.09) / 2;
        try (NDManager m = NDManager.newBaseManager()) {
            float[] flat = new float[12];
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t < 3; t++) {
                    System.arraycopy(alpha[b][t], 0, flat, (b * 3 + t) * 2, 2);
                }
            }
            NDArray penalty = DoublyStochasticPenalty.compute(m.create(flat, new Shape(2, 3, 2)),
                    m.create(targets), lambda);
            assertThat(penalty.getShape()).isEqualTo(new Shape());
            assertThat((double) penalty.getFloat()).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void doublyStochasticPenaltyRejectsMismatchedShapesAndNegativeLambda() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray alphas = m.zeros(new Shape(2, 3, 4));
            assertThatThrownBy(() -> DoublyStochasticPenalty.compute(alphas, m.zeros(new Shape(2, 4)), 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("found alphas (2, 3, 4) and targets (2, 4)");
            assertThatThrownBy(() -> DoublyStochasticPenalty.compute(alphas, m.zeros(new Shape(2, 3)), -1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("lambda must be a finite number >= 0, found -1.0");
        }
    }

    /**
     * A tiny problem only attention solves well: the caption names the word stored at the one
     * location whose first channel is high, and that location moves from image to image.
     */
    @Test
    void stepsThroughTheTrainingContractLowerTheLossAndReachEveryParameter() {
        int b = 16;
        AttentionDecoderConfig config = AttentionFixtures.config(AttentionActivation.TANH, 0);
        Random random = new Random(3);
        float[] features = new float[b * L * D];
        long[][] inputs = new long[b][3];
        long[][] targets = new long[b][3];
        for (int i = 0; i < b; i++) {
            int where = random.nextInt(L);
            int word = TokenIds.FIRST_WORD + random.nextInt(4);
            for (int l = 0; l < L; l++) {
                features[(i * L + l) * D] = l == where ? 3f : 0f;
                features[(i * L + l) * D + 1 + (word - TokenIds.FIRST_WORD)] = l == where ? 2f : (float) random.nextGaussian();
            }
            inputs[i] = new long[] {TokenIds.START, word, word + 4};
            targets[i] = new long[] {word, word + 4, TokenIds.END};
        }
        Engine.getInstance().setRandomSeed(8);
        try (NDManager params = NDManager.newBaseManager();
                NDManager m = NDManager.newBaseManager()) {
            TrainableDecoder decoder = config.newTrainable(params);
            for (Pair<String, Parameter> p : decoder.parameters()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
            ParameterStore ps = new ParameterStore(m, false);
            // the contract takes the map as [B, H, W, D]
            NDArray f = m.create(features, new Shape(b, config.mapHeight(), config.mapWidth(), D));
            NDArray in = m.create(inputs);
            NDArray out = m.create(targets);
            double first = 0;
            double last = 0;
            for (int step = 0; step < 60; step++) {
                try (NDManager batch = m.newSubManager()) {
                    // every intermediate lands in the manager of the features: one per step frees them
                    NDArray fb = f.duplicate();
                    fb.attach(batch);
                    double loss;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        TrainableDecoder.Output result = decoder.forward(ps, fb, in, true);
                        assertThat(result.regularizer()).as("the attention penalty").isNotNull();
                        NDArray logProbs = result.logits().logSoftmax(2);
                        NDArray crossEntropy = logProbs.gather(out.expandDims(2), 2).mean().neg();
                        NDArray total = crossEntropy.add(result.regularizer());
                        collector.backward(total);
                        loss = total.getFloat();
                    }
                    if (step == 0) {
                        first = loss;
                        for (Pair<String, Parameter> p : decoder.parameters()) {
                            assertThat(p.getValue().getArray().getGradient().abs().sum().getFloat())
                                    .as("gradient of %s", p.getKey()).isGreaterThan(0f);
                        }
                    }
                    last = loss;
                    try (NDManager update = NDManager.newBaseManager()) {
                        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
                        for (Pair<String, Parameter> p : decoder.parameters()) {
                            NDArray w = p.getValue().getArray();
                            NDArray g = w.getGradient();
                            g.attach(update);
                            w.subi(g.mul(0.5f));
                            ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) w);
                        }
                    }
                }
            }
            System.out.printf("attention tiny problem: loss %.4f -> %.4f after 60 SGD steps%n", first, last);
            assertThat(last).isLessThan(first * 0.6);
        }
    }
}
