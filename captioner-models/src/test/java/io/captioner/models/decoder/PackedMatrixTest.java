package io.captioner.models.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The Java kernels' products ({@link PackedMatrix}) equal a double-precision product with the
 * values the precision stores ({@link WeightRounding#rounded}), for awkward sizes (a partial last
 * panel, an odd K, every row-group remainder), in every precision.
 */
class PackedMatrixTest {

    private static float[] random(int n, Random random) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    private static StepKernel kernel(String name) {
        StepKernel k = StepKernel.parse(name);
        if (k == StepKernel.VECTOR) {
            assumeTrue(StepKernel.vectorAvailable(), "jdk.incubator.vector is not in this JVM (run with"
                    + " --add-modules jdk.incubator.vector, as the build's tests are)");
        }
        return k;
    }

    @ParameterizedTest(name = "{0} {1}, K={2}, N={3}, rows={4}")
    @CsvSource({"scalar, fp32, 37, 45, 1", "scalar, bf16, 37, 45, 3", "scalar, int8, 37, 45, 7",
        "vector, fp32, 37, 45, 1", "vector, fp32, 64, 96, 2", "vector, fp32, 37, 45, 3", "vector, fp32, 33, 100, 5",
        "vector, fp32, 37, 45, 7", "vector, bf16, 37, 45, 1", "vector, bf16, 36, 70, 6", "vector, int8, 37, 45, 1",
        "vector, int8, 36, 70, 9", "vector, int8, 512, 2541, 5"})
    void productsEqualADoubleProductOfTheStoredValues(String kernelName, String precisionName, int k, int n,
            int rows) {
        StepKernel kernel = kernel(kernelName);
        Precision precision = Precision.parse(precisionName);
        Random random = new Random(k * 31L + n + rows);
        float[] w = random(k * n, random);
        float[] x = random(rows * (k + 3), random); // a stride longer than K
        PackedMatrix m = new PackedMatrix(w, k, n, precision, kernel);
        float[] stored = WeightRounding.rounded(w, k, n, precision);
        int stride = m.paddedColumns() + 5;
        float[] out = new float[rows * stride];
        m.multiply(x, k + 3, rows, out, stride, false);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                double expected = 0;
                for (int i = 0; i < k; i++) {
                    expected += (double) x[r * (k + 3) + i] * stored[i * n + j];
                }
                assertThat((double) out[r * stride + j]).as("row %d column %d", r, j)
                        .isCloseTo(expected, within(2e-6 * Math.sqrt(k) * 4));
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"scalar, fp32", "scalar, int8", "vector, fp32", "vector, bf16", "vector, int8"})
    void accumulatingAddsToTheOutputAndPanelRangesTouchOnlyTheirColumns(String kernelName, String precisionName) {
        StepKernel kernel = kernel(kernelName);
        Precision precision = Precision.parse(precisionName);
        Random random = new Random(3);
        int k = 20;
        int n = 70;
        int rows = 5;
        float[] w = random(k * n, random);
        float[] x = random(rows * k, random);
        PackedMatrix m = new PackedMatrix(w, k, n, precision, kernel);
        int stride = m.paddedColumns();
        float[] plain = new float[rows * stride];
        m.multiply(x, k, rows, plain, stride, false);
        float[] acc = new float[rows * stride];
        java.util.Arrays.fill(acc, 1.5f);
        int half = m.panels() / 2;
        m.multiply(x, 0, k, rows, acc, 0, stride, 0, half, true);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                float expected = j < half * m.panelWidth() ? plain[r * stride + j] + 1.5f : 1.5f;
                assertThat(acc[r * stride + j]).as("row %d column %d", r, j).isCloseTo(expected, within(1e-5f));
            }
        }
    }

    @Test
    void int8KeepsTheLargestWeightOfEveryColumnExactlyAndTheOthersWithinHalfAStep() {
        float[] w = {0.5f, -2f, 0f, 1f, 0.3f, 0f}; // [2, 3]: columns {0.5, 1}, {-2, 0.3}, {0, 0}
        float[] stored = WeightRounding.rounded(w, 2, 3, Precision.INT8);
        assertThat(stored[3]).isCloseTo(1f, within(1e-6f));
        assertThat(stored[1]).isCloseTo(-2f, within(1e-6f));
        assertThat(stored[0]).isCloseTo(0.5f, within(0.5f * 1f / 127));
        assertThat(stored[4]).isCloseTo(0.3f, within(0.5f * 2f / 127));
        assertThat(stored[2]).isZero(); // an all-zero column has scale 0
        assertThat(stored[5]).isZero();
    }

    @Test
    void bf16RoundsToNearestEven() {
        // 1 + 2^-8 lies halfway between the bfloat16 neighbours 1 and 1 + 2^-7: ties go to the even one, 1
        assertThat(WeightRounding.fromBf16(WeightRounding.toBf16(1f + 1f / 256))).isEqualTo(1f);
        // 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even)
        assertThat(WeightRounding.fromBf16(WeightRounding.toBf16(1f + 3f / 256))).isEqualTo(1f + 1f / 64);
        assertThat(WeightRounding.fromBf16(WeightRounding.toBf16(-3.14159f))).isCloseTo(-3.14159f, within(0.01f));
    }

    @Test
    void packingRefusesSizesThatDoNotMatchTheValues() {
        assertThatThrownBy(() -> new PackedMatrix(new float[10], 3, 4, Precision.FP32, StepKernel.SCALAR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10 values cannot be [3, 4]");
        assertThatThrownBy(() -> new PackedMatrix(new float[12], 3, 4, Precision.FP32, StepKernel.TORCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("torch");
    }
}
