package io.captioner.models.decoder;

import java.util.Objects;

/**
 * How a decoder computes inference steps: the {@link Precision} of the weights it reads, which
 * {@link StepKernel} computes steps of few rows, and up to how many rows a step counts as few.
 * Immutable; {@link #defaults()} is float32, {@link StepKernel#AUTO} and {@value
 * #DEFAULT_FEW_ROW_MAX} rows.
 *
 * @param precision the weights' number format
 * @param kernel the kernel for steps of at most {@code fewRowMax} rows
 * @param fewRowMax steps of more rows run on PyTorch whatever the kernel, at least 1; the
 *     system property {@value #PROPERTY_FEW_ROW_MAX} sets the default
 */
public record InferenceSettings(Precision precision, StepKernel kernel, int fewRowMax) {

    /** The default of {@link #fewRowMax()}: greedy and beam search at batch 1 to 3 (beam 5). */
    public static final int DEFAULT_FEW_ROW_MAX = 16;

    /** System property: the default {@link #fewRowMax()}. */
    public static final String PROPERTY_FEW_ROW_MAX = "captioner.decoder.fewRowMax";

    /**
     * Validates the fields.
     *
     * @param precision see the record description
     * @param kernel see the record description
     * @param fewRowMax see the record description
     * @throws IllegalArgumentException if a field is null or {@code fewRowMax} is below 1
     */
    public InferenceSettings {
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(kernel, "kernel");
        if (fewRowMax < 1) {
            throw new IllegalArgumentException("fewRowMax must be at least 1, found " + fewRowMax);
        }
    }

    /**
     * Returns float32 weights, the {@link StepKernel#AUTO} kernel and the default few-row limit.
     *
     * @return the defaults
     */
    public static InferenceSettings defaults() {
        return of(Precision.FP32);
    }

    /**
     * Returns the defaults with another precision.
     *
     * @param precision the weights' number format
     * @return the settings
     */
    public static InferenceSettings of(Precision precision) {
        return new InferenceSettings(precision, StepKernel.AUTO,
                Integer.getInteger(PROPERTY_FEW_ROW_MAX, DEFAULT_FEW_ROW_MAX));
    }

    /**
     * Returns these settings with another precision.
     *
     * @param p the precision
     * @return a copy
     */
    public InferenceSettings withPrecision(Precision p) {
        return new InferenceSettings(p, kernel, fewRowMax);
    }

    /**
     * Returns these settings with another kernel.
     *
     * @param k the kernel
     * @return a copy
     */
    public InferenceSettings withKernel(StepKernel k) {
        return new InferenceSettings(precision, k, fewRowMax);
    }

    /**
     * Returns the kernel that runs few-row steps here ({@link StepKernel#resolve}).
     *
     * @return {@link StepKernel#TORCH}, {@link StepKernel#VECTOR} or {@link StepKernel#SCALAR}
     */
    public StepKernel resolvedKernel() {
        return kernel.resolve(precision);
    }

    @Override
    public String toString() {
        return precision + "/" + kernel + (kernel == StepKernel.AUTO ? "(" + resolvedKernel() + ")" : "")
                + "/fewRowMax=" + fewRowMax;
    }
}
