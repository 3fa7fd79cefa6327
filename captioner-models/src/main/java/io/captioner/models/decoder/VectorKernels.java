package io.captioner.models.decoder;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernels ({@link StepKernel#VECTOR}): the same products, gates and log-softmax as
 * {@link ScalarKernels}, on the CPU's preferred vector width. The only class that touches {@code
 * jdk.incubator.vector}; nothing loads it unless {@link StepKernel#vectorAvailable()} found the
 * module, so the library runs (on {@link ScalarKernels}) without it.
 *
 * <p>A {@link PackedMatrix} panel here is two vector registers of floats wide (16 columns with
 * AVX2, 32 with AVX-512). Up to four rows are summed at once, each in two accumulators, with one
 * fused multiply-add per weight vector and row; bfloat16 weights are widened by a shift, int8
 * weights converted to float and their column scales applied to the finished sums. Stateless and
 * thread-safe.
 */
final class VectorKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Short> S = L * 16 >= 64
            ? VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16)) : null;
    private static final VectorSpecies<Byte> B = L * 8 >= 64
            ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : null;

    private VectorKernels() {}

    /**
     * Returns whether these kernels can run here: the preferred vector holds at least 8 floats (AVX2,
     * AVX-512; narrower CPUs use {@link ScalarKernels}) and a small product computes correctly.
     *
     * @return true if {@link StepKernel#VECTOR} may use this class
     */
    static boolean usable() {
        try {
            if (L < 8 || S == null || B == null) {
                return false;
            }
            float[] w = new float[3 * 2 * L];
            for (int i = 0; i < w.length; i++) {
                w[i] = i % 7 - 3;
            }
            PackedMatrix m = new PackedMatrix(w, 3, 2 * L, Precision.FP32, StepKernel.VECTOR);
            float[] out = new float[m.paddedColumns()];
            m.multiply(new float[] {1, 2, 3}, 3, 1, out, m.paddedColumns(), false);
            for (int j = 0; j < 2 * L; j++) {
                if (out[j] != w[j] + 2 * w[2 * L + j] + 3 * w[4 * L + j]) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Returns the panel width P: two vectors of floats. */
    static int panelWidth() {
        return 2 * L;
    }

    /** See {@link PackedMatrix#multiply(float[], int, int, int, float[], int, int, int, int, boolean)}. */
    static void multiply(PackedMatrix w, float[] x, int xOffset, int xStride, int rows, float[] out, int outOffset,
            int outStride, int panelFrom, int panelTo, boolean accumulate) {
        int k = w.rows();
        int p = w.panelWidth();
        for (int panel = panelFrom; panel < panelTo; panel++) {
            int base = panel * k * p;
            int col = panel * p;
            int r = 0;
            while (r < rows) {
                int group = Math.min(4, rows - r);
                if (group == 3) {
                    group = 2; // 2 + 1: no three-row form
                }
                int xr = xOffset + r * xStride;
                int o = outOffset + r * outStride + col;
                switch (w.precision()) {
                    case FP32 -> f32(w.f32(), base, k, group, x, xr, xStride, out, o, outStride, accumulate);
                    case BF16 -> bf16(w.bf16(), base, k, group, x, xr, xStride, out, o, outStride, accumulate);
                    case INT8 -> i8(w.i8(), w.scales(), col, base, k, group, x, xr, xStride, out, o, outStride,
                            accumulate);
                    default -> throw new IllegalStateException(w.precision().toString());
                }
                r += group;
            }
        }
    }

    // --- float32 ---------------------------------------------------------------------------

    private static void f32(float[] w, int base, int k, int rows, float[] x, int x0, int xs, float[] out, int o,
            int os, boolean acc) {
        if (rows == 4) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector b0 = a0;
            FloatVector a1 = a0;
            FloatVector b1 = a0;
            FloatVector a2 = a0;
            FloatVector b2 = a0;
            FloatVector a3 = a0;
            FloatVector b3 = a0;
            for (int i = 0, wi = base; i < k; i++, wi += 2 * L) {
                FloatVector wa = FloatVector.fromArray(F, w, wi);
                FloatVector wb = FloatVector.fromArray(F, w, wi + L);
                FloatVector s = FloatVector.broadcast(F, x[x0 + i]);
                a0 = wa.fma(s, a0);
                b0 = wb.fma(s, b0);
                s = FloatVector.broadcast(F, x[x0 + xs + i]);
                a1 = wa.fma(s, a1);
                b1 = wb.fma(s, b1);
                s = FloatVector.broadcast(F, x[x0 + 2 * xs + i]);
                a2 = wa.fma(s, a2);
                b2 = wb.fma(s, b2);
                s = FloatVector.broadcast(F, x[x0 + 3 * xs + i]);
                a3 = wa.fma(s, a3);
                b3 = wb.fma(s, b3);
            }
            store(a0, b0, out, o, acc);
            store(a1, b1, out, o + os, acc);
            store(a2, b2, out, o + 2 * os, acc);
            store(a3, b3, out, o + 3 * os, acc);
        } else if (rows == 2) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector b0 = a0;
            FloatVector a1 = a0;
            FloatVector b1 = a0;
            for (int i = 0, wi = base; i < k; i++, wi += 2 * L) {
                FloatVector wa = FloatVector.fromArray(F, w, wi);
                FloatVector wb = FloatVector.fromArray(F, w, wi + L);
                FloatVector s = FloatVector.broadcast(F, x[x0 + i]);
                a0 = wa.fma(s, a0);
                b0 = wb.fma(s, b0);
                s = FloatVector.broadcast(F, x[x0 + xs + i]);
                a1 = wa.fma(s, a1);
                b1 = wb.fma(s, b1);
            }
            store(a0, b0, out, o, acc);
            store(a1, b1, out, o + os, acc);
        } else {
            // one row: two independent pairs of sums (even and odd k) so the adds do not wait on
            // each other, the weights stream at full speed
            FloatVector a0 = FloatVector.zero(F);
            FloatVector b0 = a0;
            FloatVector a1 = a0;
            FloatVector b1 = a0;
            int i = 0;
            int wi = base;
            for (; i + 1 < k; i += 2, wi += 4 * L) {
                FloatVector s0 = FloatVector.broadcast(F, x[x0 + i]);
                FloatVector s1 = FloatVector.broadcast(F, x[x0 + i + 1]);
                a0 = FloatVector.fromArray(F, w, wi).fma(s0, a0);
                b0 = FloatVector.fromArray(F, w, wi + L).fma(s0, b0);
                a1 = FloatVector.fromArray(F, w, wi + 2 * L).fma(s1, a1);
                b1 = FloatVector.fromArray(F, w, wi + 3 * L).fma(s1, b1);
            }
            if (i < k) {
                FloatVector s0 = FloatVector.broadcast(F, x[x0 + i]);
                a0 = FloatVector.fromArray(F, w, wi).fma(s0, a0);
                b0 = FloatVector.fromArray(F, w, wi + L).fma(s0, b0);
            }
            store(a0.add(a1), b0.add(b1), out, o, acc);
        }
    }

    // --- bfloat16: widened by a 16-bit shift ---------------------------------------------------

    private static FloatVector widen(short[] w, int at) {
        return ((IntVector) ShortVector.fromArray(S, w, at).convertShape(VectorOperators.S2I, I, 0))
                .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static void bf16(short[] w, int base, int k, int rows, float[] x, int x0, int xs, float[] out, int o,
            int os, boolean acc) {
        if (rows == 4) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector b0 = a0;
            FloatVector a1 = a0;
            FloatVector b1 = a0;
            FloatVector a2 = a0;
            FloatVector b2 = a0;
            FloatVector a3 = a0;
            FloatVector b3 = a0;
            for (int i = 0, wi = base; i < k; i++, wi += 2 * L) {
                FloatVector wa = widen(w, wi);
                FloatVector wb = widen(w, wi + L);
                FloatVector s = FloatVector.broadcast(F, x[x0 + i]);
                a0 = wa.fma(s, a0);
                b0 = wb.fma(s, b0);
                s = FloatVector.broadcast(F, x[x0 + xs + i]);
                a1 = wa.fma(s, a1);
                b1 = wb.fma(s, b1);
                s = FloatVector.broadcast(F, x[x0 + 2 * xs + i]);
                a2 = wa.fma(s, a2);
                b2 = wb.fma(s, b2);
                s = FloatVector.broadcast(F, x[x0 + 3 * xs + i]);
                a3 = wa.fma(s, a3);
                b3 = wb.fma(s, b3);
            }
            store(a0, b0, out, o, acc);
            store(a1, b1, out, o + os, acc);
            store(a2, b2, out, o + 2 * os, acc);
            store(a3, b3, out, o + 3 * os, acc);
        } else if (rows == 2) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector b0 = a0;
            FloatVector a1 = a0;
            FloatVector b1 = a0;
            for (int i = 0, wi = base; i < k; i++, wi += 2 * L) {
                FloatVector wa = widen(w, wi);
                FloatVector wb = widen(w, wi + L);
                FloatVector s = FloatVector.broadcast(F, x[x0 + i]);
                a0 = wa.fma(s, a0);
                b0 = wb.fma(s, b0);
                s = FloatVector.broadcast(F, x[x0 + xs + i]);
                a1 = wa.fma(s, a1);
                b1 = wb.fma(s, b1);
            }
            store(a0, b0, out, o, acc);
            store(a1, b1, out, o + os, acc);
        } else {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector b0 = a0;
            FloatVector a1 = a0;
            FloatVector b1 = a0;
            int i = 0;
            int wi = base;
            for (; i + 1 < k; i += 2, wi += 4 * L) {
                FloatVector s0 = FloatVector.broadcast(F, x[x0 + i]);
                FloatVector s1 = FloatVector.broadcast(F, x[x0 + i + 1]);
                a0 = widen(w, wi).fma(s0, a0);
                b0 = widen(w, wi + L).fma(s0, b0);
                a1 = widen(w, wi + 2 * L).fma(s1, a1);
                b1 = widen(w, wi + 3 * L).fma(s1, b1);
            }
            if (i < k) {
                FloatVector s0 = FloatVector.broadcast(F, x[x0 + i]);
                a0 = widen(w, wi).fma(s0, a0);
                b0 = widen(w, wi + L).fma(s0, b0);
            }
            store(a0.add(a1), b0.add(b1), out, o, acc);
        }
    }

    // --- int8 with column scales ---------------------------------------------------------------

    private static FloatVector widen(byte[] w, int at) {
        return (FloatVector) ByteVector.fromArray(B, w, at).convertShape(VectorOperators.B2F, F, 0);
    }

    private static void i8(byte[] w, float[] scales, int col, int base, int k, int rows, float[] x, int x0, int xs,
            float[] out, int o, int os, boolean acc) {
        FloatVector sa = FloatVector.fromArray(F, scales, col);
        FloatVector sb = FloatVector.fromArray(F, scales, col + L);
        if (rows == 4) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector b0 = a0;
            FloatVector a1 = a0;
            FloatVector b1 = a0;
            FloatVector a2 = a0;
            FloatVector b2 = a0;
            FloatVector a3 = a0;
            FloatVector b3 = a0;
            for (int i = 0, wi = base; i < k; i++, wi += 2 * L) {
                FloatVector wa = widen(w, wi);
                FloatVector wb = widen(w, wi + L);
                FloatVector s = FloatVector.broadcast(F, x[x0 + i]);
                a0 = wa.fma(s, a0);
                b0 = wb.fma(s, b0);
                s = FloatVector.broadcast(F, x[x0 + xs + i]);
                a1 = wa.fma(s, a1);
                b1 = wb.fma(s, b1);
                s = FloatVector.broadcast(F, x[x0 + 2 * xs + i]);
                a2 = wa.fma(s, a2);
                b2 = wb.fma(s, b2);
                s = FloatVector.broadcast(F, x[x0 + 3 * xs + i]);
                a3 = wa.fma(s, a3);
                b3 = wb.fma(s, b3);
            }
            store(a0.mul(sa), b0.mul(sb), out, o, acc);
            store(a1.mul(sa), b1.mul(sb), out, o + os, acc);
            store(a2.mul(sa), b2.mul(sb), out, o + 2 * os, acc);
            store(a3.mul(sa), b3.mul(sb), out, o + 3 * os, acc);
        } else if (rows == 2) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector b0 = a0;
            FloatVector a1 = a0;
            FloatVector b1 = a0;
            for (int i = 0, wi = base; i < k; i++, wi += 2 * L) {
                FloatVector wa = widen(w, wi);
                FloatVector wb = widen(w, wi + L);
                FloatVector s = FloatVector.broadcast(F, x[x0 + i]);
                a0 = wa.fma(s, a0);
                b0 = wb.fma(s, b0);
                s = FloatVector.broadcast(F, x[x0 + xs + i]);
                a1 = wa.fma(s, a1);
                b1 = wb.fma(s, b1);
            }
            store(a0.mul(sa), b0.mul(sb), out, o, acc);
            store(a1.mul(sa), b1.mul(sb), out, o + os, acc);
        } else {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector b0 = a0;
            FloatVector a1 = a0;
            FloatVector b1 = a0;
            int i = 0;
            int wi = base;
            for (; i + 1 < k; i += 2, wi += 4 * L) {
                FloatVector s0 = FloatVector.broadcast(F, x[x0 + i]);
                FloatVector s1 = FloatVector.broadcast(F, x[x0 + i + 1]);
                a0 = widen(w, wi).fma(s0, a0);
                b0 = widen(w, wi + L).fma(s0, b0);
                a1 = widen(w, wi + 2 * L).fma(s1, a1);
                b1 = widen(w, wi + 3 * L).fma(s1, b1);
            }
            if (i < k) {
                FloatVector s0 = FloatVector.broadcast(F, x[x0 + i]);
                a0 = widen(w, wi).fma(s0, a0);
                b0 = widen(w, wi + L).fma(s0, b0);
            }
            store(a0.add(a1).mul(sa), b0.add(b1).mul(sb), out, o, acc);
        }
    }

    private static void store(FloatVector a, FloatVector b, float[] out, int o, boolean acc) {
        if (acc) {
            a = a.add(FloatVector.fromArray(F, out, o));
            b = b.add(FloatVector.fromArray(F, out, o + L));
        }
        a.intoArray(out, o);
        b.intoArray(out, o + L);
    }

    // --- element-wise ----------------------------------------------------------------------

    /**
     * See {@link ScalarKernels#lstmCell}; vector math (the JDK's intrinsic exp and tanh) over whole
     * vectors of each row, the scalar form for the tail of a row.
     */
    static void lstmCell(float[] gates, int gateStride, float[] c, int rows, int hidden, float[] hOut, float[] cOut) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        int whole = hidden - hidden % L;
        for (int r = 0; r < rows; r++) {
            int g = r * gateStride;
            int s = r * hidden;
            for (int j = 0; j < whole; j += L) {
                FloatVector in = sigmoid(FloatVector.fromArray(F, gates, g + j), one);
                FloatVector forget = sigmoid(FloatVector.fromArray(F, gates, g + hidden + j), one);
                FloatVector cell = FloatVector.fromArray(F, gates, g + 2 * hidden + j).lanewise(VectorOperators.TANH);
                FloatVector out = sigmoid(FloatVector.fromArray(F, gates, g + 3 * hidden + j), one);
                FloatVector cNext = forget.mul(FloatVector.fromArray(F, c, s + j)).add(in.mul(cell));
                cNext.intoArray(cOut, s + j);
                out.mul(cNext.lanewise(VectorOperators.TANH)).intoArray(hOut, s + j);
            }
            for (int j = whole; j < hidden; j++) {
                double in = ScalarKernels.sigmoid(gates[g + j]);
                double forget = ScalarKernels.sigmoid(gates[g + hidden + j]);
                double cell = ScalarKernels.tanh(gates[g + 2 * hidden + j]);
                double out = ScalarKernels.sigmoid(gates[g + 3 * hidden + j]);
                float cNext = (float) (forget * c[s + j] + in * cell);
                cOut[s + j] = cNext;
                hOut[s + j] = (float) (out * ScalarKernels.tanh(cNext));
            }
        }
    }

    private static FloatVector sigmoid(FloatVector x, FloatVector one) {
        return one.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
    }

    /** See {@link ScalarKernels#logSoftmax}; the maximum and the sum of exponentials in vectors. */
    static void logSoftmax(float[] logits, int offset, int n, float[] out) {
        int whole = n - n % L;
        FloatVector maxV = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < whole; j += L) {
            maxV = maxV.max(FloatVector.fromArray(F, logits, offset + j));
        }
        float max = maxV.reduceLanes(VectorOperators.MAX);
        for (int j = whole; j < n; j++) {
            max = Math.max(max, logits[offset + j]);
        }
        FloatVector m = FloatVector.broadcast(F, max);
        FloatVector sumV = FloatVector.zero(F);
        for (int j = 0; j < whole; j += L) {
            sumV = sumV.add(FloatVector.fromArray(F, logits, offset + j).sub(m).lanewise(VectorOperators.EXP));
        }
        double sum = sumV.reduceLanes(VectorOperators.ADD);
        for (int j = whole; j < n; j++) {
            sum += Math.exp(logits[offset + j] - max);
        }
        float shift = (float) (max + Math.log(sum));
        FloatVector sh = FloatVector.broadcast(F, shift);
        for (int j = 0; j < whole; j += L) {
            FloatVector.fromArray(F, logits, offset + j).sub(sh).intoArray(out, j);
        }
        for (int j = whole; j < n; j++) {
            out[j] = logits[offset + j] - shift;
        }
    }
}
