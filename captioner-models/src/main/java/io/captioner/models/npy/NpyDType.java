package io.captioner.models.npy;

import java.util.Locale;

/** The NumPy element types this package reads and writes; object and structured dtypes are refused. */
public enum NpyDType {
    /** 32-bit IEEE float, {@code f4}. */
    FLOAT32('f', 4),
    /** 64-bit IEEE float, {@code f8}. */
    FLOAT64('f', 8),
    /** 64-bit signed integer, {@code i8} (torchvision's {@code num_batches_tracked}). */
    INT64('i', 8),
    /** 32-bit signed integer, {@code i4}. */
    INT32('i', 4),
    /** Unsigned byte, {@code u1}. */
    UINT8('u', 1),
    /** NumPy bool, {@code b1}, one byte per element. */
    BOOL('b', 1);

    private final char kind;
    private final int size;

    NpyDType(char kind, int size) {
        this.kind = kind;
        this.size = size;
    }

    /**
     * Returns the element size.
     *
     * @return bytes per element
     */
    public int size() {
        return size;
    }

    /**
     * Returns the little-endian descr string NumPy writes for this type, e.g. {@code <f4}.
     *
     * @return the descr
     */
    public String descr() {
        return (size == 1 ? "|" : "<") + kind + size;
    }

    /**
     * Finds the type for a kind letter and size.
     *
     * @param kind NumPy's kind letter ({@code f}, {@code i}, {@code u}, {@code b})
     * @param size bytes per element
     * @return the type, or {@code null} when unsupported
     */
    static NpyDType of(char kind, int size) {
        for (NpyDType t : values()) {
            if (t.kind == kind && t.size == size) {
                return t;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
