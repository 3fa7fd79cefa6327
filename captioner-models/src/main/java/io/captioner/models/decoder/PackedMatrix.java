package io.captioner.models.decoder;

/**
 * A weight matrix {@code W [K, N]} packed for products with few rows, {@code y [R, N] (+)= x [R,
 * K] · W}, computed by the Java kernels ({@link StepKernel#VECTOR}, {@link StepKernel#SCALAR}).
 *
 * <p>Layout: the columns are cut into panels of P columns (the last padded with zeros); a panel is
 * stored as {@code [K, P]}, row after row, and panels follow each other. The vector kernel's
 * panels are two vector registers wide: a product walks each panel once, top to bottom, and keeps
 * the P sums of up to four rows in registers, so the weights are read from memory once per product
 * whatever the row count (further row groups reread the panel, {@code 4·K·P} bytes or less, from
 * the core's cache). The scalar kernel's single panel spans every column (see {@link ScalarKernels}). Values are stored in the matrix's
 * {@link Precision}: float32, bfloat16 bits, or int8 with one float32 scale per column applied to
 * the finished sums.
 *
 * <p>Immutable after construction; products may run concurrently on any threads.
 */
final class PackedMatrix {

    /**
     * The scalar kernel's panels are as wide as the matrix rounded up to a multiple of this: one
     * panel, row-major, whose long rows the JIT compiler vectorises (the vector kernel's panels are
     * two vector registers wide).
     */
    static final int SCALAR_PANEL_MULTIPLE = 16;

    private final Precision precision;
    private final boolean vector;
    private final int k;
    private final int n;
    private final int panel;
    private final int panels;
    private final float[] f32;
    private final short[] bf16;
    private final byte[] i8;
    private final float[] scales;

    /**
     * Packs a row-major float32 matrix.
     *
     * @param w {@code [K, N]} row-major; read, not kept
     * @param k rows (the shared dimension of the product)
     * @param n columns (the outputs)
     * @param precision the storage format
     * @param kernel {@link StepKernel#VECTOR} or {@link StepKernel#SCALAR}: decides the panel width
     *     and the code that computes products
     * @throws IllegalArgumentException if the sizes do not match {@code w} or the kernel is not a
     *     Java one
     */
    PackedMatrix(float[] w, int k, int n, Precision precision, StepKernel kernel) {
        if (k < 1 || n < 1 || (long) k * n != w.length) {
            throw new IllegalArgumentException("matrix of " + w.length + " values cannot be [" + k + ", " + n + "]");
        }
        if (!kernel.java()) {
            throw new IllegalArgumentException("packed matrices serve the Java kernels, found " + kernel);
        }
        this.precision = precision;
        this.vector = kernel == StepKernel.VECTOR;
        this.k = k;
        this.n = n;
        this.panel = vector ? VectorKernels.panelWidth()
                : (n + SCALAR_PANEL_MULTIPLE - 1) / SCALAR_PANEL_MULTIPLE * SCALAR_PANEL_MULTIPLE;
        this.panels = (n + panel - 1) / panel;
        int size = Math.multiplyExact(Math.multiplyExact(panels, panel), k);
        float[] colScales = precision == Precision.INT8 ? WeightRounding.int8Scales(w, k, n) : null;
        float[] f = precision == Precision.FP32 ? new float[size] : null;
        short[] s = precision == Precision.BF16 ? new short[size] : null;
        byte[] b = precision == Precision.INT8 ? new byte[size] : null;
        for (int p = 0; p < panels; p++) {
            int base = p * k * panel;
            int col0 = p * panel;
            int width = Math.min(panel, n - col0);
            for (int i = 0; i < k; i++) {
                int src = i * n + col0;
                int dst = base + i * panel;
                for (int j = 0; j < width; j++) {
                    float v = w[src + j];
                    switch (precision) {
                        case FP32 -> f[dst + j] = v;
                        case BF16 -> s[dst + j] = WeightRounding.toBf16(v);
                        case INT8 -> b[dst + j] = WeightRounding.toInt8(v, colScales[col0 + j]);
                        default -> throw new IllegalStateException(precision.toString());
                    }
                }
            }
        }
        this.f32 = f;
        this.bf16 = s;
        this.i8 = b;
        if (colScales != null) {
            this.scales = java.util.Arrays.copyOf(colScales, panels * panel); // zero scales for the padding
        } else {
            this.scales = null;
        }
    }

    /** Returns K, the rows of W. */
    int rows() {
        return k;
    }

    /** Returns N, the columns of W. */
    int columns() {
        return n;
    }

    /** Returns N rounded up to whole panels: the row stride {@link #multiply}'s output needs. */
    int paddedColumns() {
        return panels * panel;
    }

    /** Returns the number of panels. */
    int panels() {
        return panels;
    }

    /** Returns the panel width P. */
    int panelWidth() {
        return panel;
    }

    /** Returns the storage format. */
    Precision precision() {
        return precision;
    }

    /** Returns the bytes a product reads: the packed values and, for int8, the scales. */
    long bytes() {
        long values = (long) panels * panel * k * precision.bytesPerWeight();
        return values + (scales == null ? 0 : 4L * scales.length);
    }

    float[] f32() {
        return f32;
    }

    short[] bf16() {
        return bf16;
    }

    byte[] i8() {
        return i8;
    }

    float[] scales() {
        return scales;
    }

    /**
     * Computes {@code out[r, j] (+)= Σ_i x[r, i] · W[i, j]} for rows r in [0, rows) and the columns
     * of panels [panelFrom, panelTo).
     *
     * @param x the left operand: row r starts at {@code xOffset + r · xStride}, K values
     * @param xOffset where row 0 starts
     * @param xStride the distance between rows, at least K
     * @param rows R, at least 1
     * @param out the result: row r starts at {@code outOffset + r · outStride}; columns of padding
     *     panels get 0 (or keep their value)
     * @param outOffset where row 0 starts
     * @param outStride the distance between rows, at least {@link #paddedColumns()}
     * @param panelFrom the first panel
     * @param panelTo one past the last panel
     * @param accumulate whether to add to {@code out} rather than overwrite it
     */
    void multiply(float[] x, int xOffset, int xStride, int rows, float[] out, int outOffset, int outStride,
            int panelFrom, int panelTo, boolean accumulate) {
        if (vector) {
            VectorKernels.multiply(this, x, xOffset, xStride, rows, out, outOffset, outStride, panelFrom, panelTo,
                    accumulate);
        } else {
            ScalarKernels.multiply(this, x, xOffset, xStride, rows, out, outOffset, outStride, panelFrom, panelTo,
                    accumulate);
        }
    }

    /**
     * {@link #multiply} over every panel.
     *
     * @param x the left operand, rows {@code xStride} apart from offset 0
     * @param xStride the distance between rows
     * @param rows R
     * @param out the result, rows {@code outStride} apart from offset 0
     * @param outStride the distance between rows, at least {@link #paddedColumns()}
     * @param accumulate whether to add to {@code out}
     */
    void multiply(float[] x, int xStride, int rows, float[] out, int outStride, boolean accumulate) {
        multiply(x, 0, xStride, rows, out, 0, outStride, 0, panels, accumulate);
    }
}
