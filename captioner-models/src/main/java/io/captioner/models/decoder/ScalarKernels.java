package io.captioner.models.decoder;

/**
 * The plain-Java kernels ({@link StepKernel#SCALAR}): products with {@link PackedMatrix}es,
 * the LSTM cell's element-wise gates and the log-softmax, written as simple loops that the JIT
 * compiler may vectorise itself. The Vector API kernels ({@link VectorKernels}) compute the same
 * values and fall back to these where they have no faster form. Stateless and thread-safe.
 */
final class ScalarKernels {

    private ScalarKernels() {}

    /**
     * See {@link PackedMatrix#multiply(float[], int, int, int, float[], int, int, int, int, boolean)}.
     * The scalar layout has one panel as wide as the padded matrix (row-major), so that every inner
     * loop is a long {@code y += x_i · W[i, :]} the JIT compiler can vectorise, and each row of W is
     * read once for all rows of x while it is in the cache.
     */
    static void multiply(PackedMatrix w, float[] x, int xOffset, int xStride, int rows, float[] out, int outOffset,
            int outStride, int panelFrom, int panelTo, boolean accumulate) {
        int k = w.rows();
        int p = w.panelWidth();
        for (int panel = panelFrom; panel < panelTo; panel++) {
            int base = panel * k * p;
            int col = panel * p;
            float[] acc = new float[rows * p];
            switch (w.precision()) {
                case FP32 -> {
                    float[] v = w.f32();
                    for (int i = 0; i < k; i++) {
                        int wi = base + i * p;
                        for (int r = 0; r < rows; r++) {
                            float xi = x[xOffset + r * xStride + i];
                            int a = r * p;
                            for (int j = 0; j < p; j++) {
                                acc[a + j] += xi * v[wi + j];
                            }
                        }
                    }
                }
                case BF16 -> {
                    short[] v = w.bf16();
                    float[] row = new float[p];
                    for (int i = 0; i < k; i++) {
                        int wi = base + i * p;
                        for (int j = 0; j < p; j++) {
                            row[j] = Float.intBitsToFloat(v[wi + j] << 16);
                        }
                        for (int r = 0; r < rows; r++) {
                            float xi = x[xOffset + r * xStride + i];
                            int a = r * p;
                            for (int j = 0; j < p; j++) {
                                acc[a + j] += xi * row[j];
                            }
                        }
                    }
                }
                case INT8 -> {
                    byte[] v = w.i8();
                    float[] row = new float[p];
                    for (int i = 0; i < k; i++) {
                        int wi = base + i * p;
                        for (int j = 0; j < p; j++) {
                            row[j] = v[wi + j];
                        }
                        for (int r = 0; r < rows; r++) {
                            float xi = x[xOffset + r * xStride + i];
                            int a = r * p;
                            for (int j = 0; j < p; j++) {
                                acc[a + j] += xi * row[j];
                            }
                        }
                    }
                    float[] scales = w.scales();
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < p; j++) {
                            acc[r * p + j] *= scales[col + j];
                        }
                    }
                }
                default -> throw new IllegalStateException(w.precision().toString());
            }
            for (int r = 0; r < rows; r++) {
                int o = outOffset + r * outStride + col;
                if (accumulate) {
                    for (int j = 0; j < p; j++) {
                        out[o + j] += acc[r * p + j];
                    }
                } else {
                    System.arraycopy(acc, r * p, out, o, p);
                }
            }
        }
    }

    /**
     * One LSTM cell step for R rows from its pre-activation gates (PyTorch's order: input, forget,
     * cell, output, each H wide): {@code c' = σ(f)·c + σ(i)·tanh(g)}, {@code h' = σ(o)·tanh(c')}.
     *
     * @param gates {@code [R, gateStride]}, the four gates of a row from {@code r · gateStride}
     * @param gateStride the distance between rows of {@code gates}, at least 4H
     * @param c the previous cell state {@code [R, H]}
     * @param rows R
     * @param hidden H
     * @param hOut receives h' {@code [R, H]}
     * @param cOut receives c' {@code [R, H]}
     */
    static void lstmCell(float[] gates, int gateStride, float[] c, int rows, int hidden, float[] hOut, float[] cOut) {
        for (int r = 0; r < rows; r++) {
            int g = r * gateStride;
            int s = r * hidden;
            for (int j = 0; j < hidden; j++) {
                double in = sigmoid(gates[g + j]);
                double forget = sigmoid(gates[g + hidden + j]);
                double cell = tanh(gates[g + 2 * hidden + j]);
                double out = sigmoid(gates[g + 3 * hidden + j]);
                float cNext = (float) (forget * c[s + j] + in * cell);
                cOut[s + j] = cNext;
                hOut[s + j] = (float) (out * tanh(cNext));
            }
        }
    }

    /**
     * Writes the log-softmax of one row of logits.
     *
     * @param logits the logits
     * @param offset where the row starts
     * @param n the row's length V
     * @param out receives V log-probabilities from index 0
     */
    static void logSoftmax(float[] logits, int offset, int n, float[] out) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, logits[offset + j]);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += Math.exp(logits[offset + j] - max);
        }
        float shift = (float) (max + Math.log(sum));
        for (int j = 0; j < n; j++) {
            out[j] = logits[offset + j] - shift;
        }
    }

    /**
     * Additive attention scores of one row over L locations: {@code e[l] = Σ_a w[a] · act(proj[l, a]
     * + q[a])}, act tanh or ReLU.
     *
     * @param proj the image's encoder projection {@code [L, A]}, row-major
     * @param locations L
     * @param a A
     * @param q the row's hidden projection, A values from {@code qOffset}
     * @param qOffset where q starts
     * @param w the score weights, A values
     * @param tanh tanh if true, else ReLU
     * @param out receives L scores from index 0
     */
    static void attentionScores(float[] proj, int locations, int a, float[] q, int qOffset, float[] w, boolean tanh,
            float[] out) {
        for (int l = 0; l < locations; l++) {
            int base = l * a;
            double sum = 0;
            for (int j = 0; j < a; j++) {
                double v = proj[base + j] + q[qOffset + j];
                sum += w[j] * (tanh ? tanh(v) : Math.max(0, v));
            }
            out[l] = (float) sum;
        }
    }

    /**
     * Turns n scores into their softmax, in place.
     *
     * @param x the scores, replaced by probabilities that sum to 1
     * @param n how many
     */
    static void softmax(float[] x, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(x[i] - max);
        }
        for (int i = 0; i < n; i++) {
            x[i] = (float) (Math.exp(x[i] - max) / sum);
        }
    }

    /**
     * The attention context of one row: {@code out[d] = Σ_l alpha[l] · features[l, d]}.
     *
     * @param alpha L weights
     * @param locations L
     * @param features the image's map {@code [L, D]}, row-major
     * @param d D
     * @param out receives D values from {@code outOffset}
     * @param outOffset where they start
     */
    static void weightedSum(float[] alpha, int locations, float[] features, int d, float[] out, int outOffset) {
        for (int l = 0; l < locations; l++) {
            float al = alpha[l];
            int base = l * d;
            for (int j = 0; j < d; j++) {
                out[outOffset + j] += al * features[base + j];
            }
        }
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** tanh through exp, which the JIT compiles to a fast intrinsic (Math.tanh is not one on Java 17). */
    static double tanh(double x) {
        double e = Math.exp(-2.0 * Math.abs(x));
        double t = (1.0 - e) / (1.0 + e);
        return x < 0 ? -t : t;
    }
}
