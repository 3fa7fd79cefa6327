package io.captioner.models.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A Show-Attend-Tell decoder's step weights in Java memory, packed for the Java kernels ({@link
 * StepKernel#VECTOR} or {@link StepKernel#SCALAR}), and the inference step computed with them:
 * the few-row path of {@link AttentionCaptionDecoder}, which then makes no native call per step.
 *
 * <p>Per step and row, as {@link ShowAttendTellDecoder#step} computes it: the hidden projection
 * {@code q = h · W_hᵀ}; the scores {@code e_l = w · act(proj_l + q)} over the image's L locations
 * and their softmax α; the context {@code z = Σ_l α_l a_l}; the gate {@code β = σ(w_β · h + b_β)};
 * the LSTM gates {@code word(y) + (β z) · W_cᵀ + h · W_hhᵀ}, where {@code word(y)} is a row of a
 * precomputed table (embedding times the word-gate weight plus its bias); the cell; and the logits
 * {@code h' · W_oᵀ + b_o} with their log-softmax. The image's map and encoder projection are Java
 * arrays per image, shared by the rows (beams) of one image.
 *
 * <p>A float32 snapshot of the parameters taken at construction: read-only afterwards, so any number
 * of threads may step at once.
 */
final class JavaAttentionWeights {

    private final int vocabulary;
    private final int hidden;
    private final int gates;
    private final int attention;
    private final int channels;
    private final int locations;
    private final boolean tanh;
    private final boolean vector;
    private final float[] wordGates;
    private final PackedMatrix hiddenProjection;
    private final float[] score;
    private final float[] gateWeight;
    private final float gateBias;
    private final PackedMatrix contextGates;
    private final PackedMatrix hiddenGates;
    private final PackedMatrix output;
    private final float[] outputBias;

    /**
     * Copies and packs the block's step parameters.
     *
     * @param block an initialised block; its parameters are read, not kept
     * @param kernel {@link StepKernel#VECTOR} or {@link StepKernel#SCALAR}
     */
    JavaAttentionWeights(ShowAttendTellDecoder block, StepKernel kernel) {
        AttentionDecoderConfig c = block.config();
        this.vocabulary = c.vocabularySize();
        this.hidden = c.hiddenSize();
        this.gates = 4 * hidden;
        this.attention = c.attentionSize();
        this.channels = c.featureChannels();
        this.locations = c.locations();
        this.tanh = c.activation() == AttentionActivation.TANH;
        this.vector = kernel == StepKernel.VECTOR;
        NDArray[] p = block.stepParameters();
        try (NDManager tmp = NDManager.newBaseManager()) {
            NDArray emb = p[0].stopGradient();
            emb.attach(tmp);
            NDArray word = p[1].stopGradient();
            word.attach(tmp);
            NDArray table = emb.matMul(word.transpose()).add(p[2].stopGradient());
            table.attach(tmp);
            wordGates = table.toFloatArray();
        }
        hiddenProjection = pack(p[3], kernel);
        score = p[4].toFloatArray();
        gateWeight = p[5].toFloatArray();
        gateBias = p[6].toFloatArray()[0];
        contextGates = pack(p[7], kernel);
        hiddenGates = pack(p[8], kernel);
        output = pack(p[9], kernel);
        outputBias = p[10].toFloatArray();
    }

    /** A PyTorch {@code [out, in]} weight packed as the {@code [in, out]} right operand of a product. */
    private static PackedMatrix pack(NDArray weight, StepKernel kernel) {
        int out = (int) weight.getShape().get(0);
        int in = (int) weight.getShape().get(1);
        float[] w = weight.toFloatArray();
        float[] t = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[i * out + o] = w[o * in + i];
            }
        }
        return new PackedMatrix(t, in, out, Precision.FP32, kernel);
    }

    /** Returns the weight bytes one step reads (the packed products and the vectors; the table rows not counted). */
    long stepBytes() {
        return hiddenProjection.bytes() + contextGates.bytes() + hiddenGates.bytes() + output.bytes()
                + 4L * (score.length + gateWeight.length + outputBias.length);
    }

    /**
     * The outcome of one step.
     *
     * @param h the new hidden state {@code [R, N]}
     * @param c the new cell state {@code [R, N]}
     * @param logProbs per row, V log-probabilities of the next token
     * @param alphas per row, the L attention weights the step used, or null when not asked for
     */
    record Result(float[] h, float[] c, float[][] logProbs, float[][] alphas) {}

    /**
     * Advances R rows by one token and scores the next one.
     *
     * @param tokens the previous token of each row, valid ids
     * @param h hidden state {@code [R, N]}; read only
     * @param c cell state {@code [R, N]}; read only
     * @param features per row, its image's map {@code [L, D]} row-major (rows of one image may share it)
     * @param projected per row, its image's encoder projection {@code [L, A]} row-major
     * @param withAttention whether to return the attention weights
     * @return the new state, the log-probabilities and, if asked for, the weights
     */
    Result step(int[] tokens, float[] h, float[] c, float[][] features, float[][] projected, boolean withAttention) {
        int rows = tokens.length;
        int qStride = hiddenProjection.paddedColumns();
        float[] q = new float[rows * qStride];
        hiddenProjection.multiply(h, hidden, rows, q, qStride, false);
        int d = channels;
        float[] gated = new float[rows * d];
        float[][] alphas = withAttention ? new float[rows][] : null;
        float[] e = new float[locations];
        for (int r = 0; r < rows; r++) {
            if (vector) {
                VectorKernels.attentionScores(projected[r], locations, attention, q, r * qStride, score, tanh, e);
            } else {
                ScalarKernels.attentionScores(projected[r], locations, attention, q, r * qStride, score, tanh, e);
            }
            ScalarKernels.softmax(e, locations);
            if (vector) {
                VectorKernels.weightedSum(e, locations, features[r], d, gated, r * d);
            } else {
                ScalarKernels.weightedSum(e, locations, features[r], d, gated, r * d);
            }
            double g = gateBias;
            for (int j = 0; j < hidden; j++) {
                g += gateWeight[j] * h[r * hidden + j];
            }
            float beta = (float) ScalarKernels.sigmoid(g);
            for (int j = 0; j < d; j++) {
                gated[r * d + j] *= beta;
            }
            if (alphas != null) {
                alphas[r] = e.clone();
            }
        }
        int gateStride = hiddenGates.paddedColumns();
        float[] g = new float[rows * gateStride];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(wordGates, tokens[r] * gates, g, r * gateStride, gates);
        }
        contextGates.multiply(gated, d, rows, g, gateStride, true);
        hiddenGates.multiply(h, hidden, rows, g, gateStride, true);
        float[] hNew = new float[rows * hidden];
        float[] cNew = new float[rows * hidden];
        if (vector) {
            VectorKernels.lstmCell(g, gateStride, c, rows, hidden, hNew, cNew);
        } else {
            ScalarKernels.lstmCell(g, gateStride, c, rows, hidden, hNew, cNew);
        }
        int logitStride = output.paddedColumns();
        float[] logits = new float[rows * logitStride];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(outputBias, 0, logits, r * logitStride, vocabulary);
        }
        output.multiply(hNew, hidden, rows, logits, logitStride, true);
        float[][] logProbs = new float[rows][vocabulary];
        for (int r = 0; r < rows; r++) {
            if (vector) {
                VectorKernels.logSoftmax(logits, r * logitStride, vocabulary, logProbs[r]);
            } else {
                ScalarKernels.logSoftmax(logits, r * logitStride, vocabulary, logProbs[r]);
            }
        }
        return new Result(hNew, cNew, logProbs, alphas);
    }
}
