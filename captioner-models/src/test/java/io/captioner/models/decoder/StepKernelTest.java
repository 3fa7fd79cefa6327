package io.captioner.models.decoder;

import static io.captioner.models.decoder.StepFixtures.BIG;
import static io.captioner.models.decoder.StepFixtures.V;
import static io.captioner.models.decoder.StepFixtures.assertRowsEqual;
import static io.captioner.models.decoder.StepFixtures.config;
import static io.captioner.models.decoder.StepFixtures.features;
import static io.captioner.models.decoder.StepFixtures.perturbedDecoder;
import static io.captioner.models.decoder.StepFixtures.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.captioner.CaptionDecoder;
import io.captioner.DecoderState;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The few-row kernels ({@link StepKernel}) compute the model PyTorch's path computes: at float32
 * every kernel equals {@link StepKernel#TORCH} to 1e-5 on log-probabilities; at bfloat16 and int8
 * the Java kernels equal PyTorch's float32 products on the same rounded weights (the path of steps
 * over {@link InferenceSettings#fewRowMax()} rows) to 1e-5; and the states move between the Java
 * and the NDArray form without changing a value.
 */
class StepKernelTest {

    private static StepKernel kernel(String name) {
        StepKernel k = StepKernel.parse(name);
        if (k == StepKernel.VECTOR) {
            assumeTrue(StepKernel.vectorAvailable(), "jdk.incubator.vector is not in this JVM (run with"
                    + " --add-modules jdk.incubator.vector, as the build's tests are)");
        }
        return k;
    }

    private static InferenceSettings settings(Precision precision, StepKernel kernel) {
        return new InferenceSettings(precision, kernel, InferenceSettings.DEFAULT_FEW_ROW_MAX);
    }

    private static DecoderState advance(DecoderState old, CaptionDecoder.Step step) {
        old.close();
        return step.state();
    }

    private static DecoderState reselect(CaptionDecoder decoder, DecoderState old, int[] rows) {
        DecoderState selected = decoder.select(old, rows);
        old.close();
        return selected;
    }

    @ParameterizedTest(name = "{0}, {1}, {2} layer(s), merge {3}")
    @CsvSource({"vector, FIRST_INPUT, 1, false", "vector, INIT_STATE, 2, true", "vector, FIRST_INPUT, 2, true",
        "scalar, FIRST_INPUT, 1, false", "scalar, INIT_STATE, 2, true"})
    void javaKernelsEqualTheTorchKernelAtFp32OverBeamLikeSteps(String kernelName, ImageInjection injection,
            int layers, boolean merge) {
        StepKernel kernel = kernel(kernelName);
        DecoderConfig config = config(injection, layers, 0.3, merge);
        float[][] f = features(3, 21);
        Random random = new Random(22);
        int[][] selects = {{0, 1, 2, 0, 1}, {4, 3, 2, 1, 0}, {1, 1, 4, 0, 2}};
        try (LstmCaptionDecoder torch = perturbedDecoder(config, 5, 0.2f, settings(Precision.FP32, StepKernel.TORCH));
                LstmCaptionDecoder java = perturbedDecoder(config, 5, 0.2f, settings(Precision.FP32, kernel))) {
            DecoderState a = torch.start(f);
            DecoderState b = java.start(f);
            for (int step = 0; step <= selects.length; step++) {
                int[] t = tokens(a.batchSize(), random);
                CaptionDecoder.Step sa = torch.step(a, t);
                CaptionDecoder.Step sb = java.step(b, t);
                a = advance(a, sa);
                b = advance(b, sb);
                assertRowsEqual(sb.logProbs(), sa.logProbs(), "step " + step);
                if (step < selects.length) {
                    a = reselect(torch, a, selects[step]);
                    b = reselect(java, b, selects[step]);
                }
            }
            a.close();
            b.close();
        }
    }

    @ParameterizedTest(name = "{0}, {1}, {2} layer(s), merge {3}")
    @CsvSource({"vector, bf16, 1, false", "vector, int8, 1, true", "vector, int8, 2, false", "vector, bf16, 2, true",
        "scalar, bf16, 1, true", "scalar, int8, 2, false", "vector, fp32, 2, false"})
    void javaKernelsEqualPyTorchOnTheSameRoundedWeights(String kernelName, String precisionName, int layers,
            boolean merge) {
        StepKernel kernel = kernel(kernelName);
        Precision precision = Precision.parse(precisionName);
        float[][] all = features(BIG, 31);
        Random random = new Random(32);
        try (LstmCaptionDecoder decoder = perturbedDecoder(config(ImageInjection.FIRST_INPUT, layers, 0.3, merge), 9,
                0.2f, settings(precision, kernel))) {
            // the big batch runs on PyTorch (more rows than fewRowMax), the first three rows alone on
            // the Java kernel: both read the same rounded weights
            DecoderState big = decoder.start(all);
            DecoderState small = decoder.start(Arrays.copyOf(all, 3));
            for (int step = 0; step < 5; step++) {
                int[] t = tokens(BIG, random);
                CaptionDecoder.Step b = decoder.step(big, t);
                CaptionDecoder.Step s = decoder.step(small, Arrays.copyOf(t, 3));
                big = advance(big, b);
                small = advance(small, s);
                assertRowsEqual(s.logProbs(), b.logProbs(), new int[] {0, 1, 2}, precision + " step " + step);
            }
            big.close();
            small.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"vector", "scalar"})
    void statesCrossTheFewRowLimitBothWaysWithoutChangingAValue(String kernelName) {
        StepKernel kernel = kernel(kernelName);
        DecoderConfig config = config(ImageInjection.INIT_STATE, 2, 0.3, true);
        float[][] f = features(3, 41);
        Random random = new Random(42);
        // limit 4: 3 rows on Java, 6 on PyTorch, 2 on Java again; the recurrent term prepared by a
        // split step must survive each move
        InferenceSettings limited = new InferenceSettings(Precision.FP32, kernel, 4);
        int[][] selects = {{0, 1, 2, 2, 1, 0}, {5, 0}, {1, 0, 1}};
        StepHelpers forced = new StepHelpers(1, 1, 64, true);
        try (LstmCaptionDecoder torch = perturbedDecoder(config, 6, 0.2f, settings(Precision.FP32, StepKernel.TORCH));
                LstmCaptionDecoder java = perturbedDecoder(config, 6, 0.2f, limited)) {
            java.useHelpers(forced);
            DecoderState a = torch.start(f);
            DecoderState b = java.start(f);
            for (int step = 0; step <= selects.length; step++) {
                int[] t = tokens(a.batchSize(), random);
                CaptionDecoder.Step sa = torch.step(a, t);
                CaptionDecoder.Step sb = java.step(b, t);
                a = advance(a, sa);
                b = advance(b, sb);
                assertRowsEqual(sb.logProbs(), sa.logProbs(), "step " + step + " (" + t.length + " rows)");
                if (step < selects.length) {
                    a = reselect(torch, a, selects[step]);
                    b = reselect(java, b, selects[step]);
                }
            }
            a.close();
            b.close();
        } finally {
            forced.shutdown();
        }
        assertThat(forced.helped()).as("Java steps whose recurrent term ran on the helper").isGreaterThan(0);
    }

    @Test
    void javaStepsFollowParametersChangedInPlace() {
        StepKernel kernel = StepKernel.vectorAvailable() ? StepKernel.VECTOR : StepKernel.SCALAR;
        DecoderConfig config = config(ImageInjection.FIRST_INPUT, 1, 0, false);
        float[][] f = features(2, 51);
        try (LstmCaptionDecoder torch = perturbedDecoder(config, 8, 0.1f, settings(Precision.FP32, StepKernel.TORCH));
                LstmCaptionDecoder java = perturbedDecoder(config, 8, 0.1f, settings(Precision.FP32, kernel))) {
            DecoderState before = java.start(f);
            java.step(before, new int[] {4, 5}).state().close();
            for (LstmCaptionDecoder d : new LstmCaptionDecoder[] {torch, java}) {
                for (Pair<String, Parameter> p : d.block().getParameters()) {
                    NDArray a = p.getValue().getArray();
                    a.muli(1.5f);
                }
                d.block().parametersChanged();
            }
            DecoderState a = torch.start(f);
            DecoderState b = java.start(f);
            CaptionDecoder.Step sa = torch.step(a, new int[] {4, 5});
            CaptionDecoder.Step sb = java.step(b, new int[] {4, 5});
            assertRowsEqual(sb.logProbs(), sa.logProbs(), "after the change");
            before.close();
            a.close();
            b.close();
            sa.state().close();
            sb.state().close();
        }
    }

    @Test
    void javaStepsAllocateNoNativeArrays() {
        StepKernel kernel = StepKernel.vectorAvailable() ? StepKernel.VECTOR : StepKernel.SCALAR;
        try (LstmCaptionDecoder decoder = perturbedDecoder(config(ImageInjection.FIRST_INPUT, 1, 0, true), 3, 0.1f,
                settings(Precision.INT8, kernel))) {
            DecoderState state = decoder.start(features(2, 61));
            NDManager root = decoder.manager();
            int before = root.getManagedArrays().size();
            Random random = new Random(62);
            for (int i = 0; i < 20; i++) {
                state = advance(state, decoder.step(state, tokens(2, random)));
                state = reselect(decoder, state, new int[] {1, 0});
            }
            assertThat(root.getManagedArrays()).hasSize(before);
            state.close();
        }
    }

    @Test
    void everyKernelGivesLogProbabilitiesThatSumToOne() {
        for (StepKernel kernel : new StepKernel[] {StepKernel.SCALAR, StepKernel.VECTOR}) {
            if (kernel == StepKernel.VECTOR && !StepKernel.vectorAvailable()) {
                continue;
            }
            try (LstmCaptionDecoder decoder = perturbedDecoder(config(ImageInjection.FIRST_INPUT, 1, 0, false), 4,
                    0.5f, settings(Precision.BF16, kernel))) {
                DecoderState state = decoder.start(features(1, 71));
                CaptionDecoder.Step step = decoder.step(state, new int[] {2});
                double sum = 0;
                for (float lp : step.logProbs()[0]) {
                    sum += Math.exp(lp);
                }
                assertThat(step.logProbs()[0]).hasSize(V);
                assertThat(sum).as(kernel.toString()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
                state.close();
                step.state().close();
            }
        }
    }

    @org.junit.jupiter.api.Test
    void autoIsTheVectorKernelWhenTheModuleIsPresentAndTorchForTheAttentionDecoder() {
        org.junit.jupiter.api.Assumptions.assumeTrue(StepKernel.vectorAvailable(),
                "jdk.incubator.vector is not in this JVM (the build's tests add it)");
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty(StepKernel.PROPERTY) == null,
                StepKernel.PROPERTY + " is set, which replaces AUTO's choice");
        for (Precision p : Precision.values()) {
            assertThat(StepKernel.AUTO.resolve(p)).as("%s", p).isEqualTo(StepKernel.VECTOR);
            assertThat(StepKernel.AUTO.resolve(p, StepKernel.TORCH)).as("%s", p).isEqualTo(StepKernel.TORCH);
        }
    }
}
