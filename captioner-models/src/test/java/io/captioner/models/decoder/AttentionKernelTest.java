package io.captioner.models.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import io.captioner.CaptionDecoder;
import io.captioner.DecoderState;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The attention decoder's Java kernels ({@link JavaAttentionWeights}) compute what its block's
 * step computes: the same log-probabilities and attention weights to 1e-5 over beam-like steps
 * (rows reordered, duplicated, images dropped), across the few-row limit both ways, without
 * allocating native arrays per step.
 */
class AttentionKernelTest {

    @TempDir Path dir;

    private static StepKernel kernel(String name) {
        StepKernel k = StepKernel.parse(name);
        if (k == StepKernel.VECTOR) {
            assumeTrue(StepKernel.vectorAvailable(), "jdk.incubator.vector is not in this JVM (run with"
                    + " --add-modules jdk.incubator.vector, as the build's tests are)");
        }
        return k;
    }

    /** A perturbed decoder saved to a file, loaded once on PyTorch's path and once on a Java kernel. */
    private AttentionCaptionDecoder[] pair(AttentionActivation activation, StepKernel kernel, int fewRowMax) {
        Path file = dir.resolve("attention-" + activation + "-" + kernel + ".params");
        try (AttentionCaptionDecoder made = AttentionFixtures.perturbedDecoder(AttentionFixtures.config(activation, 0.3),
                17)) {
            made.save(file);
        }
        return new AttentionCaptionDecoder[] {
            AttentionCaptionDecoder.load(file, null, new InferenceSettings(Precision.FP32, StepKernel.TORCH, fewRowMax)),
            AttentionCaptionDecoder.load(file, null, new InferenceSettings(Precision.FP32, kernel, fewRowMax))
        };
    }

    private static DecoderState next(DecoderState old, DecoderState replacement) {
        old.close();
        return replacement;
    }

    private static void assertSameStep(CaptionDecoder.Step java, CaptionDecoder.Step torch, String what) {
        assertThat(java.logProbs()).hasDimensions(torch.logProbs().length, AttentionFixtures.V);
        for (int r = 0; r < torch.logProbs().length; r++) {
            for (int v = 0; v < AttentionFixtures.V; v++) {
                assertThat(java.logProbs()[r][v]).as("%s row %d token %d", what, r, v)
                        .isCloseTo(torch.logProbs()[r][v], within(1e-5f));
            }
            for (int l = 0; l < AttentionFixtures.L; l++) {
                assertThat(java.attention()[r][l]).as("%s row %d location %d", what, r, l)
                        .isCloseTo(torch.attention()[r][l], within(1e-5f));
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"vector, TANH", "vector, RELU", "scalar, TANH", "scalar, RELU"})
    void javaStepsEqualTheBlocksStepOverBeamLikeSteps(String kernelName, AttentionActivation activation) {
        AttentionCaptionDecoder[] d = pair(activation, kernel(kernelName), 16);
        // 3 images grow to 5 rows (image 2 twice), are reordered, then image 1 is dropped
        int[][] selects = {{0, 1, 2, 2, 0}, {4, 3, 2, 1, 0}, {0, 2, 3, 4}};
        Random random = new Random(3);
        try (AttentionCaptionDecoder torch = d[0]; AttentionCaptionDecoder java = d[1]) {
            float[][] f = AttentionFixtures.features(3, 4);
            DecoderState a = torch.start(f, true);
            DecoderState b = java.start(f, true);
            for (int step = 0; step <= selects.length; step++) {
                int[] tokens = new int[a.batchSize()];
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = 1 + random.nextInt(AttentionFixtures.V - 1);
                }
                CaptionDecoder.Step sa = torch.step(a, tokens);
                CaptionDecoder.Step sb = java.step(b, tokens);
                assertSameStep(sb, sa, "step " + step);
                a = next(a, sa.state());
                b = next(b, sb.state());
                if (step < selects.length) {
                    a = next(a, torch.select(a, selects[step]));
                    b = next(b, java.select(b, selects[step]));
                }
            }
            a.close();
            b.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"vector", "scalar"})
    void statesCrossTheFewRowLimitBothWays(String kernelName) {
        AttentionCaptionDecoder[] d = pair(AttentionActivation.TANH, kernel(kernelName), 4);
        // limit 4: 3 rows in Java, 6 on the block, 2 in Java again
        int[][] selects = {{0, 1, 2, 2, 1, 0}, {5, 0}, {1, 0, 1}};
        Random random = new Random(5);
        try (AttentionCaptionDecoder torch = d[0]; AttentionCaptionDecoder java = d[1]) {
            float[][] f = AttentionFixtures.features(3, 6);
            DecoderState a = torch.start(f, true);
            DecoderState b = java.start(f, true);
            for (int step = 0; step <= selects.length; step++) {
                int[] tokens = new int[a.batchSize()];
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = 1 + random.nextInt(AttentionFixtures.V - 1);
                }
                CaptionDecoder.Step sa = torch.step(a, tokens);
                CaptionDecoder.Step sb = java.step(b, tokens);
                assertSameStep(sb, sa, "step " + step + " (" + tokens.length + " rows)");
                a = next(a, sa.state());
                b = next(b, sb.state());
                if (step < selects.length) {
                    a = next(a, torch.select(a, selects[step]));
                    b = next(b, java.select(b, selects[step]));
                }
            }
            a.close();
            b.close();
            assertThat(java.manager().getManagedArrays()).as("every context and state freed").isEmpty();
        }
    }

    @Test
    void javaStepsAllocateNoNativeArraysAndReportNoAttentionUnlessAsked() {
        StepKernel kernel = StepKernel.vectorAvailable() ? StepKernel.VECTOR : StepKernel.SCALAR;
        AttentionCaptionDecoder[] d = pair(AttentionActivation.TANH, kernel, 16);
        d[0].close();
        try (AttentionCaptionDecoder java = d[1]) {
            DecoderState state = java.start(AttentionFixtures.features(2, 8));
            NDManager root = java.manager();
            int before = root.getManagedArrays().size();
            for (int i = 0; i < 10; i++) {
                CaptionDecoder.Step s = java.step(state, new int[] {3, 4});
                assertThat(s.attention()).isNull();
                state = next(state, s.state());
                state = next(state, java.select(state, new int[] {1, 0}));
            }
            assertThat(root.getManagedArrays()).hasSize(before);
            state.close();
        }
    }

    @Test
    void aReducedPrecisionIsRefusedNamingIt() {
        assertThatThrownBy(() -> AttentionCaptionDecoder.create(AttentionFixtures.config(AttentionActivation.TANH, 0),
                1, InferenceSettings.of(Precision.BF16)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fp32 only, found bf16");
    }

    @Test
    void aDeepOutputModelAskedForAJavaKernelStepsOnTheBlockAndGivesItsResults() {
        Path file = dir.resolve("attention-deep.params");
        try (AttentionCaptionDecoder made = AttentionFixtures.perturbedDecoder(
                AttentionFixtures.config(AttentionActivation.TANH, 0.3, true), 19)) {
            made.save(file);
        }
        try (AttentionCaptionDecoder torch = AttentionCaptionDecoder.load(file, null,
                        new InferenceSettings(Precision.FP32, StepKernel.TORCH, 16));
                AttentionCaptionDecoder java = AttentionCaptionDecoder.load(file, null,
                        new InferenceSettings(Precision.FP32, StepKernel.SCALAR, 16))) {
            float[][] f = AttentionFixtures.features(2, 4);
            try (DecoderState a = torch.start(f, true); DecoderState b = java.start(f, true)) {
                int[] previous = {1, 1};
                assertSameStep(java.step(b, previous), torch.step(a, previous), "deep output");
            }
        }
    }
}
