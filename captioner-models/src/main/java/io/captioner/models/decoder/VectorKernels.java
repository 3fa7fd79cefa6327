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
        Precision precision = w.precision();
        for (int panel = panelFrom; panel < panelTo; panel++) {
            int base = panel * k * p;
            int col = panel * p;
            int r = 0;
            while (r < rows) {
                int group = rows - r >= 4 ? 4 : rows - r >= 2 ? 2 : 1;
                int xr = xOffset + r * xStride;
                int o = outOffset + r * outStride + col;
                // one small method per precision and row group, so the JIT compiles each with every
                // vector operation inlined (one large method exceeded its inlining budget, and the
                // vectors it could not keep in registers were boxed: ten times slower)
                if (precision == Precision.FP32) {
                    if (group == 4) {
                        f32Rows4(w.f32(), base, k, x, xr, xStride, out, o, outStride, accumulate);
                    } else if (group == 2) {
                        f32Rows2(w.f32(), base, k, x, xr, xStride, out, o, outStride, accumulate);
                    } else {
                        f32Rows1(w.f32(), base, k, x, xr, xStride, out, o, outStride, accumulate);
                    }
                } else if (precision == Precision.BF16) {
                    if (group == 4) {
                        bf16Rows4(w.bf16(), base, k, x, xr, xStride, out, o, outStride, accumulate);
                    } else if (group == 2) {
                        bf16Rows2(w.bf16(), base, k, x, xr, xStride, out, o, outStride, accumulate);
                    } else {
                        bf16Rows1(w.bf16(), base, k, x, xr, xStride, out, o, outStride, accumulate);
                    }
                } else {
                    if (group == 4) {
                        i8Rows4(w.i8(), w.scales(), col, base, k, x, xr, xStride, out, o, outStride, accumulate);
                    } else if (group == 2) {
                        i8Rows2(w.i8(), w.scales(), col, base, k, x, xr, xStride, out, o, outStride, accumulate);
                    } else {
                        i8Rows1(w.i8(), w.scales(), col, base, k, x, xr, xStride, out, o, outStride, accumulate);
                    }
                }
                r += group;
            }
        }
    }

    /** bfloat16 bits widened to floats by a 16-bit shift. */
    private static FloatVector widen(short[] w, int at) {
        return ((IntVector) ShortVector.fromArray(S, w, at).convertShape(VectorOperators.S2I, I, 0))
                .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** int8 values converted to floats (their column scales are applied to the finished sums). */
    private static FloatVector widen(byte[] w, int at) {
        return (FloatVector) ByteVector.fromArray(B, w, at).convertShape(VectorOperators.B2F, F, 0);
    }

    private static void f32Rows4(float[] w, int base, int k, float[] x, int x0, int xs, float[] out,
            int o, int os, boolean acc) {
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
            FloatVector s0 = FloatVector.broadcast(F, x[x0 + i]);
            a0 = wa.fma(s0, a0);
            b0 = wb.fma(s0, b0);
            FloatVector s1 = FloatVector.broadcast(F, x[x0 + xs + i]);
            a1 = wa.fma(s1, a1);
            b1 = wb.fma(s1, b1);
            FloatVector s2 = FloatVector.broadcast(F, x[x0 + 2 * xs + i]);
            a2 = wa.fma(s2, a2);
            b2 = wb.fma(s2, b2);
            FloatVector s3 = FloatVector.broadcast(F, x[x0 + 3 * xs + i]);
            a3 = wa.fma(s3, a3);
            b3 = wb.fma(s3, b3);
        }
        if (acc) {
            a0 = a0.add(FloatVector.fromArray(F, out, o));
            b0 = b0.add(FloatVector.fromArray(F, out, o + L));
            a1 = a1.add(FloatVector.fromArray(F, out, o + os));
            b1 = b1.add(FloatVector.fromArray(F, out, o + os + L));
            a2 = a2.add(FloatVector.fromArray(F, out, o + 2 * os));
            b2 = b2.add(FloatVector.fromArray(F, out, o + 2 * os + L));
            a3 = a3.add(FloatVector.fromArray(F, out, o + 3 * os));
            b3 = b3.add(FloatVector.fromArray(F, out, o + 3 * os + L));
        }
        a0.intoArray(out, o);
        b0.intoArray(out, o + L);
        a1.intoArray(out, o + os);
        b1.intoArray(out, o + os + L);
        a2.intoArray(out, o + 2 * os);
        b2.intoArray(out, o + 2 * os + L);
        a3.intoArray(out, o + 3 * os);
        b3.intoArray(out, o + 3 * os + L);
    }

    private static void f32Rows2(float[] w, int base, int k, float[] x, int x0, int xs, float[] out,
            int o, int os, boolean acc) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector b0 = a0;
        FloatVector a1 = a0;
        FloatVector b1 = a0;
        for (int i = 0, wi = base; i < k; i++, wi += 2 * L) {
            FloatVector wa = FloatVector.fromArray(F, w, wi);
            FloatVector wb = FloatVector.fromArray(F, w, wi + L);
            FloatVector s0 = FloatVector.broadcast(F, x[x0 + i]);
            a0 = wa.fma(s0, a0);
            b0 = wb.fma(s0, b0);
            FloatVector s1 = FloatVector.broadcast(F, x[x0 + xs + i]);
            a1 = wa.fma(s1, a1);
            b1 = wb.fma(s1, b1);
        }
        if (acc) {
            a0 = a0.add(FloatVector.fromArray(F, out, o));
            b0 = b0.add(FloatVector.fromArray(F, out, o + L));
            a1 = a1.add(FloatVector.fromArray(F, out, o + os));
            b1 = b1.add(FloatVector.fromArray(F, out, o + os + L));
        }
        a0.intoArray(out, o);
        b0.intoArray(out, o + L);
        a1.intoArray(out, o + os);
        b1.intoArray(out, o + os + L);
    }

    private static void f32Rows1(float[] w, int base, int k, float[] x, int x0, int xs, float[] out,
            int o, int os, boolean acc) {
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
        a0 = a0.add(a1);
        b0 = b0.add(b1);
        if (acc) {
            a0 = a0.add(FloatVector.fromArray(F, out, o));
            b0 = b0.add(FloatVector.fromArray(F, out, o + L));
        }
        a0.intoArray(out, o);
        b0.intoArray(out, o + L);
    }

    private static void bf16Rows4(short[] w, int base, int k, float[] x, int x0, int xs, float[] out,
            int o, int os, boolean acc) {
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
            FloatVector s0 = FloatVector.broadcast(F, x[x0 + i]);
            a0 = wa.fma(s0, a0);
            b0 = wb.fma(s0, b0);
            FloatVector s1 = FloatVector.broadcast(F, x[x0 + xs + i]);
            a1 = wa.fma(s1, a1);
            b1 = wb.fma(s1, b1);
            FloatVector s2 = FloatVector.broadcast(F, x[x0 + 2 * xs + i]);
            a2 = wa.fma(s2, a2);
            b2 = wb.fma(s2, b2);
            FloatVector s3 = FloatVector.broadcast(F, x[x0 + 3 * xs + i]);
            a3 = wa.fma(s3, a3);
            b3 = wb.fma(s3, b3);
        }
        if (acc) {
            a0 = a0.add(FloatVector.fromArray(F, out, o));
            b0 = b0.add(FloatVector.fromArray(F, out, o + L));
            a1 = a1.add(FloatVector.fromArray(F, out, o + os));
            b1 = b1.add(FloatVector.fromArray(F, out, o + os + L));
            a2 = a2.add(FloatVector.fromArray(F, out, o + 2 * os));
            b2 = b2.add(FloatVector.fromArray(F, out, o + 2 * os + L));
            a3 = a3.add(FloatVector.fromArray(F, out, o + 3 * os));
            b3 = b3.add(FloatVector.fromArray(F, out, o + 3 * os + L));
        }
        a0.intoArray(out, o);
        b0.intoArray(out, o + L);
        a1.intoArray(out, o + os);
        b1.intoArray(out, o + os + L);
        a2.intoArray(out, o + 2 * os);
        b2.intoArray(out, o + 2 * os + L);
        a3.intoArray(out, o + 3 * os);
        b3.intoArray(out, o + 3 * os + L);
    }

    private static void bf16Rows2(short[] w, int base, int k, float[] x, int x0, int xs, float[] out,
            int o, int os, boolean acc) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector b0 = a0;
        FloatVector a1 = a0;
        FloatVector b1 = a0;
        for (int i = 0, wi = base; i < k; i++, wi += 2 * L) {
            FloatVector wa = widen(w, wi);
            FloatVector wb = widen(w, wi + L);
            FloatVector s0 = FloatVector.broadcast(F, x[x0 + i]);
            a0 = wa.fma(s0, a0);
            b0 = wb.fma(s0, b0);
            FloatVector s1 = FloatVector.broadcast(F, x[x0 + xs + i]);
            a1 = wa.fma(s1, a1);
            b1 = wb.fma(s1, b1);
        }
        if (acc) {
            a0 = a0.add(FloatVector.fromArray(F, out, o));
            b0 = b0.add(FloatVector.fromArray(F, out, o + L));
            a1 = a1.add(FloatVector.fromArray(F, out, o + os));
            b1 = b1.add(FloatVector.fromArray(F, out, o + os + L));
        }
        a0.intoArray(out, o);
        b0.intoArray(out, o + L);
        a1.intoArray(out, o + os);
        b1.intoArray(out, o + os + L);
    }

    private static void bf16Rows1(short[] w, int base, int k, float[] x, int x0, int xs, float[] out,
            int o, int os, boolean acc) {
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
        a0 = a0.add(a1);
        b0 = b0.add(b1);
        if (acc) {
            a0 = a0.add(FloatVector.fromArray(F, out, o));
            b0 = b0.add(FloatVector.fromArray(F, out, o + L));
        }
        a0.intoArray(out, o);
        b0.intoArray(out, o + L);
    }

    private static void i8Rows4(byte[] w, float[] scales, int col, int base, int k, float[] x, int x0, int xs,
            float[] out, int o, int os, boolean acc) {
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
            FloatVector s0 = FloatVector.broadcast(F, x[x0 + i]);
            a0 = wa.fma(s0, a0);
            b0 = wb.fma(s0, b0);
            FloatVector s1 = FloatVector.broadcast(F, x[x0 + xs + i]);
            a1 = wa.fma(s1, a1);
            b1 = wb.fma(s1, b1);
            FloatVector s2 = FloatVector.broadcast(F, x[x0 + 2 * xs + i]);
            a2 = wa.fma(s2, a2);
            b2 = wb.fma(s2, b2);
            FloatVector s3 = FloatVector.broadcast(F, x[x0 + 3 * xs + i]);
            a3 = wa.fma(s3, a3);
            b3 = wb.fma(s3, b3);
        }
        FloatVector sa = FloatVector.fromArray(F, scales, col);
        FloatVector sb = FloatVector.fromArray(F, scales, col + L);
        a0 = a0.mul(sa);
        b0 = b0.mul(sb);
        a1 = a1.mul(sa);
        b1 = b1.mul(sb);
        a2 = a2.mul(sa);
        b2 = b2.mul(sb);
        a3 = a3.mul(sa);
        b3 = b3.mul(sb);
        if (acc) {
            a0 = a0.add(FloatVector.fromArray(F, out, o));
            b0 = b0.add(FloatVector.fromArray(F, out, o + L));
            a1 = a1.add(FloatVector.fromArray(F, out, o + os));
            b1 = b1.add(FloatVector.fromArray(F, out, o + os + L));
            a2 = a2.add(FloatVector.fromArray(F, out, o + 2 * os));
            b2 = b2.add(FloatVector.fromArray(F, out, o + 2 * os + L));
            a3 = a3.add(FloatVector.fromArray(F, out, o + 3 * os));
            b3 = b3.add(FloatVector.fromArray(F, out, o + 3 * os + L));
        }
        a0.intoArray(out, o);
        b0.intoArray(out, o + L);
        a1.intoArray(out, o + os);
        b1.intoArray(out, o + os + L);
        a2.intoArray(out, o + 2 * os);
        b2.intoArray(out, o + 2 * os + L);
        a3.intoArray(out, o + 3 * os);
        b3.intoArray(out, o + 3 * os + L);
    }

    private static void i8Rows2(byte[] w, float[] scales, int col, int base, int k, float[] x, int x0, int xs,
            float[] out, int o, int os, boolean acc) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector b0 = a0;
        FloatVector a1 = a0;
        FloatVector b1 = a0;
        for (int i = 0, wi = base; i < k; i++, wi += 2 * L) {
            FloatVector wa = widen(w, wi);
            FloatVector wb = widen(w, wi + L);
            FloatVector s0 = FloatVector.broadcast(F, x[x0 + i]);
            a0 = wa.fma(s0, a0);
            b0 = wb.fma(s0, b0);
            FloatVector s1 = FloatVector.broadcast(F, x[x0 + xs + i]);
            a1 = wa.fma(s1, a1);
            b1 = wb.fma(s1, b1);
        }
        FloatVector sa = FloatVector.fromArray(F, scales, col);
        FloatVector sb = FloatVector.fromArray(F, scales, col + L);
        a0 = a0.mul(sa);
        b0 = b0.mul(sb);
        a1 = a1.mul(sa);
        b1 = b1.mul(sb);
        if (acc) {
            a0 = a0.add(FloatVector.fromArray(F, out, o));
            b0 = b0.add(FloatVector.fromArray(F, out, o + L));
            a1 = a1.add(FloatVector.fromArray(F, out, o + os));
            b1 = b1.add(FloatVector.fromArray(F, out, o + os + L));
        }
        a0.intoArray(out, o);
        b0.intoArray(out, o + L);
        a1.intoArray(out, o + os);
        b1.intoArray(out, o + os + L);
    }

    private static void i8Rows1(byte[] w, float[] scales, int col, int base, int k, float[] x, int x0, int xs,
            float[] out, int o, int os, boolean acc) {
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
        a0 = a0.add(a1);
        b0 = b0.add(b1);
        FloatVector sa = FloatVector.fromArray(F, scales, col);
        FloatVector sb = FloatVector.fromArray(F, scales, col + L);
        a0 = a0.mul(sa);
        b0 = b0.mul(sb);
        if (acc) {
            a0 = a0.add(FloatVector.fromArray(F, out, o));
            b0 = b0.add(FloatVector.fromArray(F, out, o + L));
        }
        a0.intoArray(out, o);
        b0.intoArray(out, o + L);
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
                // sigmoid(x) = 1 / (1 + exp(-x)), written out: a helper taking vectors would box them
                // wherever the JIT does not inline it
                FloatVector in = one.div(one.add(FloatVector.fromArray(F, gates, g + j).neg()
                        .lanewise(VectorOperators.EXP)));
                FloatVector forget = one.div(one.add(FloatVector.fromArray(F, gates, g + hidden + j).neg()
                        .lanewise(VectorOperators.EXP)));
                FloatVector cell = FloatVector.fromArray(F, gates, g + 2 * hidden + j).lanewise(VectorOperators.TANH);
                FloatVector out = one.div(one.add(FloatVector.fromArray(F, gates, g + 3 * hidden + j).neg()
                        .lanewise(VectorOperators.EXP)));
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

    /** See {@link ScalarKernels#attentionScores}; each location's sum over A in vectors. */
    static void attentionScores(float[] proj, int locations, int a, float[] q, int qOffset, float[] w, boolean tanh,
            float[] out) {
        int whole = a - a % L;
        FloatVector zero = FloatVector.zero(F);
        for (int l = 0; l < locations; l++) {
            int base = l * a;
            FloatVector acc = zero;
            for (int j = 0; j < whole; j += L) {
                FloatVector v = FloatVector.fromArray(F, proj, base + j).add(FloatVector.fromArray(F, q, qOffset + j));
                v = tanh ? v.lanewise(VectorOperators.TANH) : v.max(zero);
                acc = v.fma(FloatVector.fromArray(F, w, j), acc);
            }
            double sum = acc.reduceLanes(VectorOperators.ADD);
            for (int j = whole; j < a; j++) {
                double v = proj[base + j] + q[qOffset + j];
                sum += w[j] * (tanh ? ScalarKernels.tanh(v) : Math.max(0, v));
            }
            out[l] = (float) sum;
        }
    }

    /** See {@link ScalarKernels#weightedSum}; each location's row added in vectors. */
    static void weightedSum(float[] alpha, int locations, float[] features, int d, float[] out, int outOffset) {
        int whole = d - d % L;
        for (int l = 0; l < locations; l++) {
            FloatVector al = FloatVector.broadcast(F, alpha[l]);
            int base = l * d;
            for (int j = 0; j < whole; j += L) {
                FloatVector.fromArray(F, features, base + j).fma(al, FloatVector.fromArray(F, out, outOffset + j))
                        .intoArray(out, outOffset + j);
            }
            for (int j = whole; j < d; j++) {
                out[outOffset + j] += alpha[l] * features[base + j];
            }
        }
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
