package io.captioner.models.decoder;

/**
 * The number formats of {@link Precision}, applied to float32 matrices: bfloat16 rounding and
 * int8 quantisation with one scale per output column. The Java kernels store the rounded values;
 * the PyTorch path computes with the same values as float32 (or bfloat16) arrays, so every kernel
 * computes the same model. Stateless.
 */
final class WeightRounding {

    private WeightRounding() {}

    /**
     * Rounds a float to the nearest bfloat16, ties to even (as PyTorch's conversion does), and
     * returns its 16 bits.
     *
     * @param f the value (finite)
     * @return the upper 16 bits of the rounded float
     */
    static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /**
     * Widens bfloat16 bits to the float they stand for.
     *
     * @param b the 16 bits
     * @return the value
     */
    static float fromBf16(short b) {
        return Float.intBitsToFloat(b << 16);
    }

    /**
     * Returns the int8 scales of a row-major {@code [K, N]} matrix, one per column: the column's
     * largest magnitude over 127 (0 for an all-zero column).
     *
     * @param w the matrix, row-major
     * @param k rows
     * @param n columns
     * @return N scales
     */
    static float[] int8Scales(float[] w, int k, int n) {
        float[] max = new float[n];
        for (int i = 0; i < k; i++) {
            int row = i * n;
            for (int j = 0; j < n; j++) {
                max[j] = Math.max(max[j], Math.abs(w[row + j]));
            }
        }
        for (int j = 0; j < n; j++) {
            max[j] = max[j] / 127f;
        }
        return max;
    }

    /**
     * Quantises one weight with its column's scale.
     *
     * @param w the weight
     * @param scale the column's scale from {@link #int8Scales}
     * @return {@code round(w / scale)} in [-127, 127], 0 when the scale is 0
     */
    static byte toInt8(float w, float scale) {
        if (scale == 0f) {
            return 0;
        }
        return (byte) Math.max(-127, Math.min(127, Math.round(w / scale)));
    }

    /**
     * Returns a row-major {@code [K, N]} matrix with every value as the given precision stores it
     * (bfloat16 widened back, int8 times its scale): the values every kernel computes with.
     *
     * @param w the float32 matrix, row-major; not modified
     * @param k rows
     * @param n columns
     * @param precision the format
     * @return a new array ({@code w} itself for {@link Precision#FP32})
     */
    static float[] rounded(float[] w, int k, int n, Precision precision) {
        switch (precision) {
            case FP32:
                return w;
            case BF16: {
                float[] out = new float[w.length];
                for (int i = 0; i < w.length; i++) {
                    out[i] = fromBf16(toBf16(w[i]));
                }
                return out;
            }
            case INT8: {
                float[] scales = int8Scales(w, k, n);
                float[] out = new float[w.length];
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < n; j++) {
                        out[i * n + j] = toInt8(w[i * n + j], scales[j]) * scales[j];
                    }
                }
                return out;
            }
            default:
                throw new IllegalArgumentException("unknown precision " + precision);
        }
    }
}
