package io.captioner.models.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Without {@code --add-modules jdk.incubator.vector} the library still loads and computes: a JVM
 * started without it reports the Vector API missing, resolves {@link StepKernel#VECTOR} to {@link
 * StepKernel#SCALAR} and multiplies a packed matrix correctly, and resolves {@link StepKernel#AUTO}
 * at bf16 and int8 to {@link StepKernel#TORCH} (the check runs in a child JVM, since this one has
 * the module).
 */
class VectorFallbackTest {

    /**
     * The child JVM's program: prints whether the Vector API is available, what VECTOR resolves to
     * and one product, then exits.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        float[] w = {1, 2, 3, 4, 5, 6}; // [2, 3]
        PackedMatrix m = new PackedMatrix(w, 2, 3, Precision.FP32,
                StepKernel.VECTOR.resolve(Precision.FP32));
        float[] out = new float[m.paddedColumns()];
        m.multiply(new float[] {1, 10}, 2, 1, out, m.paddedColumns(), false);
        System.out.println("available=" + StepKernel.vectorAvailable() + " resolved="
                + StepKernel.VECTOR.resolve(Precision.FP32) + " product=" + out[0] + "," + out[1] + "," + out[2]
                + " auto-int8=" + StepKernel.AUTO.resolve(Precision.INT8) + " auto-bf16="
                + StepKernel.AUTO.resolve(Precision.BF16));
    }

    @Test
    void withoutTheModuleVectorFallsBackToScalarAndStillComputes() throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                VectorFallbackTest.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        assertThat(p.exitValue()).as("exit code; output: " + output).isZero();
        // asked for, the scalar kernel runs; by default, reduced precisions step on PyTorch instead
        assertThat(output).contains("available=false resolved=scalar product=41.0,52.0,63.0 auto-int8=torch"
                + " auto-bf16=torch")
                .doesNotContain("incubator");
    }
}
