package io.captioner.models.decoder;

import ai.djl.ndarray.NDArray;

/**
 * An LSTM decoder's step weights in Java memory, packed for the Java kernels ({@link
 * StepKernel#VECTOR} or {@link StepKernel#SCALAR}), and the inference step computed with them: the
 * few-row path of {@link LstmCaptionDecoder}, which then makes no native call per step.
 *
 * <p>Per step and row: the first layer's input gates are a row of the token-gate table (embedding
 * times input weight plus both biases, float32); then one product with each layer's recurrent
 * weight (and, from the second layer, its input weight), the cell's element-wise gates, and one
 * product with the output weight followed by the log-softmax. The products read {@link
 * PackedMatrix} panels in the decoder's {@link Precision}. The state is float32 arrays: per layer
 * {@code [R, H]}, row-major.
 *
 * <p>A snapshot of one parameter version ({@link #version()}), built inside {@link InferenceWeights}
 * from the same arrays, so that both paths compute the same model. Read-only after construction;
 * any number of threads may step at once.
 */
final class JavaLstmWeights {

    private final long version;
    private final int layers;
    private final int hidden;
    private final int gates;
    private final int gateStride;
    private final int vocabulary;
    private final int logitStride;
    private final boolean vector;
    private final float[] tokenGates;
    private final PackedMatrix[] recurrent;
    private final PackedMatrix[] input;
    private final float[][] bias;
    private final PackedMatrix output;
    private final float[] outputBias;

    /**
     * Copies and packs the weights; every array is read, not kept.
     *
     * @param version the parameter version of the values
     * @param tokenGates {@code [V, 4H]}: embedding times the first layer's input weight plus its biases
     * @param inputT per layer the input weight transposed, {@code [in, 4H]} (layer 0 unused)
     * @param recurrentT per layer the recurrent weight transposed, {@code [H, 4H]}
     * @param bias per layer both biases summed, {@code [4H]} (layer 0 unused: in the table)
     * @param outputT the output weight transposed, {@code [H, V]}
     * @param outputBias {@code [V]}
     * @param precision the format of the packed matrices
     * @param kernel {@link StepKernel#VECTOR} or {@link StepKernel#SCALAR}
     */
    JavaLstmWeights(long version, NDArray tokenGates, NDArray[] inputT, NDArray[] recurrentT, NDArray[] bias,
            NDArray outputT, NDArray outputBias, Precision precision, StepKernel kernel) {
        this.version = version;
        this.layers = recurrentT.length;
        this.hidden = (int) recurrentT[0].getShape().get(0);
        this.gates = 4 * hidden;
        this.vocabulary = (int) outputT.getShape().get(1);
        this.vector = kernel == StepKernel.VECTOR;
        this.tokenGates = tokenGates.toFloatArray();
        this.recurrent = new PackedMatrix[layers];
        this.input = new PackedMatrix[layers];
        this.bias = new float[layers][];
        for (int l = 0; l < layers; l++) {
            recurrent[l] = new PackedMatrix(recurrentT[l].toFloatArray(), hidden, gates, precision, kernel);
            if (l > 0) {
                input[l] = new PackedMatrix(inputT[l].toFloatArray(), (int) inputT[l].getShape().get(0), gates,
                        precision, kernel);
                this.bias[l] = bias[l].toFloatArray();
            }
        }
        this.gateStride = recurrent[0].paddedColumns();
        this.output = new PackedMatrix(outputT.toFloatArray(), hidden, vocabulary, precision, kernel);
        this.logitStride = output.paddedColumns();
        this.outputBias = outputBias.toFloatArray();
    }

    /** Returns the parameter version these values were copied from. */
    long version() {
        return version;
    }

    /** Returns L, the number of layers. */
    int layers() {
        return layers;
    }

    /** Returns H. */
    int hidden() {
        return hidden;
    }

    /** Returns the row stride of gate arrays and of {@link #recurrentTerm} results (4H rounded up to whole panels). */
    int gateStride() {
        return gateStride;
    }

    /** Returns the weight bytes one step reads (the products' matrices; the table rows and biases not counted). */
    long stepBytes() {
        long bytes = output.bytes();
        for (int l = 0; l < layers; l++) {
            bytes += recurrent[l].bytes() + (input[l] == null ? 0 : input[l].bytes());
        }
        return bytes;
    }

    /**
     * The first layer's recurrent term of the next step, {@code h0 · W_hh0ᵀ}, which {@link #step} can
     * take instead of computing it.
     *
     * @param h0 the first layer's hidden state {@code [R, H]}
     * @param rows R
     * @return {@code [R, gateStride]}
     */
    float[] recurrentTerm(float[] h0, int rows) {
        float[] out = new float[rows * gateStride];
        recurrent[0].multiply(h0, hidden, rows, out, gateStride, false);
        return out;
    }

    /**
     * The outcome of one step.
     *
     * @param h the new hidden state, per layer {@code [R, H]}
     * @param c the new cell state, per layer {@code [R, H]}
     * @param logProbs per row, V log-probabilities of the next token
     * @param recurrentNext the next step's first-layer recurrent term {@code [R, gateStride]}, or
     *     null when it was not prepared
     */
    record Result(float[][] h, float[][] c, float[][] logProbs, float[] recurrentNext) {}

    /**
     * Advances R rows by one token and scores the next one.
     *
     * @param tokens the previous token of each row, valid ids
     * @param h hidden state per layer {@code [R, H]}; read only
     * @param c cell state per layer {@code [R, H]}; read only
     * @param recurrent0 this step's first-layer recurrent term from {@link #recurrentTerm} of
     *     {@code h[0]} with these weights, or null to compute it here
     * @param merge the rows' image merge term {@code [R, H]} added to the top layer before the
     *     output layer, or null
     * @param helpers where the next step's recurrent term may be computed at the same time as the
     *     logits, or null to not prepare it
     * @return the new state, the log-probabilities and, if a helper computed it, the next recurrent term
     */
    Result step(int[] tokens, float[][] h, float[][] c, float[] recurrent0, float[] merge, StepHelpers helpers) {
        int rows = tokens.length;
        float[] g = new float[rows * gateStride];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tokenGates, tokens[r] * gates, g, r * gateStride, gates);
        }
        if (recurrent0 != null) {
            for (int r = 0; r < rows; r++) {
                int o = r * gateStride;
                for (int j = 0; j < gates; j++) {
                    g[o + j] += recurrent0[o + j];
                }
            }
        } else {
            recurrent[0].multiply(h[0], hidden, rows, g, gateStride, true);
        }
        float[][] hNew = new float[layers][rows * hidden];
        float[][] cNew = new float[layers][rows * hidden];
        cell(g, c[0], rows, hNew[0], cNew[0]);
        for (int l = 1; l < layers; l++) {
            g = new float[rows * gateStride];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(bias[l], 0, g, r * gateStride, gates);
            }
            input[l].multiply(hNew[l - 1], hidden, rows, g, gateStride, true);
            recurrent[l].multiply(h[l], hidden, rows, g, gateStride, true);
            cell(g, c[l], rows, hNew[l], cNew[l]);
        }
        float[] h0 = hNew[0];
        StepHelpers.Task<float[]> next = helpers == null ? null : helpers.tryFork(() -> recurrentTerm(h0, rows));
        float[][] logProbs;
        try {
            logProbs = logProbs(hNew[layers - 1], merge, rows);
        } catch (RuntimeException | Error e) {
            if (next != null) {
                try {
                    next.join(); // join() must run exactly once per handed-over task
                } catch (RuntimeException | Error suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return new Result(hNew, cNew, logProbs, next == null ? null : next.join());
    }

    private void cell(float[] g, float[] c, int rows, float[] hOut, float[] cOut) {
        if (vector) {
            VectorKernels.lstmCell(g, gateStride, c, rows, hidden, hOut, cOut);
        } else {
            ScalarKernels.lstmCell(g, gateStride, c, rows, hidden, hOut, cOut);
        }
    }

    private float[][] logProbs(float[] top, float[] merge, int rows) {
        float[] x = top;
        if (merge != null) {
            x = new float[top.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = top[i] + merge[i];
            }
        }
        float[] logits = new float[rows * logitStride];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(outputBias, 0, logits, r * logitStride, vocabulary);
        }
        output.multiply(x, hidden, rows, logits, logitStride, true);
        float[][] out = new float[rows][vocabulary];
        for (int r = 0; r < rows; r++) {
            if (vector) {
                VectorKernels.logSoftmax(logits, r * logitStride, vocabulary, out[r]);
            } else {
                ScalarKernels.logSoftmax(logits, r * logitStride, vocabulary, out[r]);
            }
        }
        return out;
    }
}
