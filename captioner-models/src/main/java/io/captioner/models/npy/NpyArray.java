package io.captioner.models.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One NumPy array read from a {@code .npy} file or {@code .npz} entry: dtype, C-order shape and raw
 * little-endian data.
 *
 * <p>The data buffer is a read-only view in {@link ByteOrder#LITTLE_ENDIAN} order positioned at 0,
 * whatever the byte order of the file was. Instances are immutable and thread-safe.
 *
 * @param name where the array came from (a file name or {@code archive.npz:key}), used in errors
 * @param dtype the element type
 * @param shape the dimensions in C (row-major) order; empty for a scalar
 * @param data the elements, {@code elementCount() * dtype.size()} bytes
 */
public record NpyArray(String name, NpyDType dtype, long[] shape, ByteBuffer data) {

    /**
     * Validates the parts.
     *
     * @param name where the array came from
     * @param dtype the element type
     * @param shape the dimensions in C order
     * @param data the elements
     * @throws IllegalArgumentException if the data length does not match the shape
     */
    public NpyArray {
        shape = shape.clone();
        long expected = count(shape) * dtype.size();
        if (data.remaining() != expected) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " of "
                    + dtype + " needs " + expected + " bytes, found " + data.remaining());
        }
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Returns the shape; the returned array is a copy.
     *
     * @return the dimensions in C order
     */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /**
     * Returns a fresh little-endian read-only view of the data, positioned at 0.
     *
     * @return the data
     */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Returns the number of elements, the product of the shape.
     *
     * @return the element count
     */
    public long elementCount() {
        return count(shape);
    }

    /**
     * Returns the elements as floats (float64 and integer types are converted).
     *
     * @return a new array of {@link #elementCount()} floats in C order
     * @throws IllegalStateException if there are more than {@code Integer.MAX_VALUE - 8} elements
     */
    public float[] toFloatArray() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(name + ": " + n + " elements do not fit a Java array");
        }
        float[] out = new float[(int) n];
        ByteBuffer b = data();
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case FLOAT32 -> b.getFloat();
                case FLOAT64 -> (float) b.getDouble();
                case INT64 -> b.getLong();
                case INT32 -> b.getInt();
                case UINT8 -> b.get() & 0xFF;
                case BOOL -> b.get() != 0 ? 1f : 0f;
            };
        }
        return out;
    }

    /**
     * Returns the shape as text the way NumPy prints it, e.g. {@code (64, 3, 7, 7)}.
     *
     * @return the shape in Python tuple notation
     */
    public String shapeString() {
        return shapeString(shape);
    }

    /**
     * Formats a shape in Python tuple notation.
     *
     * @param shape the dimensions
     * @return for example {@code (2, 3)} or {@code (5,)}
     */
    public static String shapeString(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        if (shape.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray other && name.equals(other.name) && dtype == other.dtype
                && Arrays.equals(shape, other.shape) && data.equals(other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + dtype.hashCode();
    }

    @Override
    public String toString() {
        return "NpyArray[" + name + ", " + dtype + ", shape=" + shapeString() + "]";
    }

    static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
