package io.captioner.models.decoder;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which code computes a decoder's inference steps of few rows (greedy search, beam search and small
 * batches: at most {@link InferenceSettings#fewRowMax()} rows). Larger steps always run on
 * PyTorch. Every kernel computes the same model at a given {@link Precision} (tests pin them
 * together to 1e-5 on log-probabilities); they differ only in speed, which depends on the CPU.
 *
 * <p>The Java kernels keep the step's state in Java arrays and read weights packed once into
 * column panels ({@code [K, P]} blocks, P = two vector registers of floats), so one pass over the
 * weights serves every row of the step, and a step makes no native call at all.
 */
public enum StepKernel {

    /**
     * The default: {@link #VECTOR} when the Vector API is available, else {@link #TORCH}, at every
     * precision. Measured on a 2-core AMD EPYC (captioner-benchmarks README, "Issue 20"), the
     * vector kernel's batch-1 LSTM step took 0.77 (greedy) and 0.55 (beam 5) of PyTorch's at fp32,
     * while the scalar loops took 3–10 times PyTorch's, so they run only when asked for. The
     * attention decoder resolves {@code AUTO} to {@link #TORCH}: its Java kernel measured slower
     * than its PyTorch step.
     * The system property {@value #PROPERTY} (one of {@code auto}, {@code torch}, {@code vector},
     * {@code scalar}) replaces this choice for every decoder whose settings say {@code AUTO}.
     */
    AUTO,

    /**
     * PyTorch through DJL: one matrix product per layer and one for the logits on weights laid out
     * for inference. At {@link Precision#BF16} and {@link Precision#INT8} the products run in
     * float32 on the rounded (dequantised) weights: the same model, without the speed of fewer
     * bytes. PyTorch's bfloat16 products (oneDNN's path on CPUs with AVX-512 BF16 or AMX) are out
     * of reach from DJL 0.36.0, whose PyTorch binding aborts the JVM on any bfloat16 tensor.
     */
    TORCH,

    /**
     * Java with the Vector API ({@code jdk.incubator.vector}), used only when the JVM was started
     * with {@code --add-modules jdk.incubator.vector}; otherwise {@link #SCALAR} runs in its place.
     */
    VECTOR,

    /** Plain Java loops (what the JIT compiler makes of them): the fallback without the Vector API. */
    SCALAR;

    /** System property that replaces {@link #AUTO}'s choice: {@code auto}, {@code torch}, {@code vector} or {@code scalar}. */
    public static final String PROPERTY = "captioner.decoder.kernel";

    /** The name of the Vector API's module. */
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    /**
     * Returns whether the Vector API can be used: its module is in the JVM's boot layer (the JVM
     * was started with {@code --add-modules jdk.incubator.vector}).
     *
     * @return true if {@link #VECTOR} runs as itself rather than as {@link #SCALAR}
     */
    public static boolean vectorAvailable() {
        return VectorState.AVAILABLE;
    }

    /**
     * Returns the kernel that actually runs for a precision: {@link #AUTO} resolved (through the
     * system property {@value #PROPERTY} if set, then the default rule), and {@link #VECTOR}
     * replaced by {@link #SCALAR} when the Vector API is missing.
     *
     * @param precision the weights' precision
     * @return {@link #TORCH}, {@link #VECTOR} or {@link #SCALAR}
     * @throws IllegalArgumentException if the system property holds an unknown name
     */
    public StepKernel resolve(Precision precision) {
        return resolve(precision, vectorAvailable() ? VECTOR : TORCH);
    }

    /**
     * Resolves as {@link #resolve(Precision)} does, with another default for {@link #AUTO} when the
     * system property does not set one (the attention decoder passes {@link #TORCH}).
     *
     * @param precision the weights' precision
     * @param whenAuto what {@link #AUTO} stands for without the system property
     * @return {@link #TORCH}, {@link #VECTOR} or {@link #SCALAR}
     */
    public StepKernel resolve(Precision precision, StepKernel whenAuto) {
        StepKernel k = this;
        if (k == AUTO) {
            String property = System.getProperty(PROPERTY);
            k = property == null || property.isBlank() ? AUTO : parse(property);
        }
        if (k == AUTO) {
            k = whenAuto;
        }
        if (k == VECTOR && !vectorAvailable()) {
            k = SCALAR;
        }
        return k;
    }

    /**
     * Returns whether this resolved kernel runs in Java ({@link #VECTOR} or {@link #SCALAR}).
     *
     * @return true for the Java kernels
     */
    boolean java() {
        return this == VECTOR || this == SCALAR;
    }

    /**
     * Returns the lower-case name used by the system property and the command line.
     *
     * @return for example {@code "vector"}
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Finds a kernel by its name, case-insensitive.
     *
     * @param name {@code auto}, {@code torch}, {@code vector} or {@code scalar}
     * @return the kernel
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static StepKernel parse(String name) {
        for (StepKernel k : values()) {
            if (k.name().equalsIgnoreCase(name.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("step kernel must be one of "
                + Arrays.stream(values()).map(StepKernel::id).toList() + ", found '" + name + "'");
    }

    @Override
    public String toString() {
        return id();
    }

    /** Holds the one-time module check, so it runs on first use rather than when the enum loads. */
    private static final class VectorState {
        static final boolean AVAILABLE = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()
                && VectorKernels.usable();
    }
}
