package io.captioner.models.decoder;

import java.util.Arrays;

/**
 * The number format of the weight matrices a decoder reads at every inference step: the
 * recurrent (and, in deeper stacks, stacked input) LSTM weights and the output layer. Everything
 * else (the token-gate table, biases, the image projection, the state and every sum) stays
 * float32, and parameter files always hold float32: the precision is applied when a decoder is
 * loaded, so one artifact serves every precision.
 *
 * <p>A reduced precision changes the model slightly: its log-probabilities differ from float32's
 * by a bounded amount ({@link #logProbTolerance()}), so a search may pick another word where two
 * are nearly tied. Every step kernel ({@link StepKernel}) computes with the same rounded values,
 * so a caption does not depend on the kernel or on the batch it was decoded in.
 */
public enum Precision {

    /** IEEE float32 weights, the trained values. */
    FP32("fp32", 0.0),

    /**
     * bfloat16 weights: float32 rounded to nearest-even to 8 significant bits (PyTorch's {@code
     * bfloat16}), half the bytes per step.
     */
    BF16("bf16", 0.05),

    /**
     * int8 weights with one float32 scale per output unit (per row of PyTorch's {@code [out, in]}
     * weight): {@code w ≈ scale · q}, {@code q} in [-127, 127], {@code scale = max|w| / 127}; a
     * quarter of the bytes per step.
     */
    INT8("int8", 0.15);

    private final String id;
    private final double logProbTolerance;

    Precision(String id, double logProbTolerance) {
        this.id = id;
        this.logProbTolerance = logProbTolerance;
    }

    /**
     * Returns the name command lines and manifests use: {@code fp32}, {@code bf16} or {@code int8}.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * Returns the documented bound on how far a step's log-probabilities at this precision may lie
     * from float32's: the largest absolute difference over every token of 12 greedy steps of a
     * decoder of the Flickr8k sizes (V 2,541, E and H 512, D 2,048, random weights of the spread
     * trained ones have), as {@code PrecisionToleranceTest} checks it on every kernel. Measured: 0.018
     * for bfloat16, 0.081 for int8; the bounds are 0.05 and 0.15. 0 for {@link #FP32}, whose kernels
     * agree with PyTorch's to 1e-5. What it costs in captions is measured on the quickstart's test
     * split (captioner-benchmarks, {@code PrecisionQuality}).
     *
     * @return the bound, in nats
     */
    public double logProbTolerance() {
        return logProbTolerance;
    }

    /**
     * Returns the bytes one weight takes in this format (scales of {@link #INT8} not counted).
     *
     * @return 4, 2 or 1
     */
    public int bytesPerWeight() {
        return switch (this) {
            case FP32 -> 4;
            case BF16 -> 2;
            case INT8 -> 1;
        };
    }

    /**
     * Finds a precision by its id, as a user types it (case-insensitive).
     *
     * @param name {@code fp32}, {@code bf16} or {@code int8}
     * @return the precision
     * @throws IllegalArgumentException naming the value and the accepted ids
     */
    public static Precision parse(String name) {
        for (Precision p : values()) {
            if (p.id.equalsIgnoreCase(name) || p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("precision must be one of "
                + Arrays.stream(values()).map(Precision::id).toList() + ", found '" + name + "'");
    }

    @Override
    public String toString() {
        return id;
    }
}
