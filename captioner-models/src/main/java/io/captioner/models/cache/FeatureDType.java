package io.captioner.models.cache;

import java.util.Arrays;

/**
 * How a {@link FeatureCache} stores its values on disk. Rows are always served as float32; the
 * storage type only trades disk, page cache and I/O against precision.
 */
public enum FeatureDType {

    /** IEEE 754 single precision, 4 bytes per value, exact. */
    FLOAT32("float32", 4),

    /**
     * IEEE 754 half precision, 2 bytes per value: a relative error of at most 2<sup>-11</sup>
     * (about 4.9e-4) for magnitudes from 6.1e-5 to 65,504, an absolute error of at most
     * 2<sup>-25</sup> below that; a finite value above 65,504 in magnitude cannot be stored.
     * Flickr8k's 8,091 images at 14 × 14 × 2048 take 6.5 GB instead of 13.
     */
    FLOAT16("float16", 2);

    private final String id;
    private final int bytes;

    FeatureDType(String id, int bytes) {
        this.id = id;
        this.bytes = bytes;
    }

    /**
     * Returns the name a cache's index records, {@code "float32"} or {@code "float16"}.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * Returns the bytes one value takes on disk.
     *
     * @return 4 or 2
     */
    public int bytes() {
        return bytes;
    }

    /**
     * Finds a type by its id.
     *
     * @param id {@code "float32"} or {@code "float16"}
     * @return the type
     * @throws IllegalArgumentException naming the value and the known ids
     */
    public static FeatureDType of(String id) {
        for (FeatureDType t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown feature dtype '" + id + "', expected one of "
                + Arrays.stream(values()).map(FeatureDType::id).toList());
    }

    @Override
    public String toString() {
        return id;
    }
}
