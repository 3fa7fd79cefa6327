package io.captioner.models.cache;

import io.captioner.models.encoder.BlockEncoder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a feature cache was computed with and how it is stored; two caches are interchangeable only
 * if their keys are equal. Build it from the configured encoder with {@link #of}.
 *
 * @param encoder the encoder's name, e.g. {@code resnet50}
 * @param featureShape the shape of one image's row: {@code {D}} for a pooled vector, {@code {H, W,
 *     D}} for a spatial map (location-major, channels last, see {@link io.captioner.ImageEncoder})
 * @param dtype how values are stored on disk
 * @param spatialSize for a spatial map, the side it was adaptive-average-pooled to, or 0 for the
 *     network's own map; 0 for vectors
 * @param weightsSha256 hex SHA-256 of the weights file ({@link io.captioner.io.Digests#sha256(java.nio.file.Path)}), or a label such as
 *     {@code random-seed-7} for weights that have no file
 * @param preprocessing the preprocessing's description ({@code Preprocessing.toString()})
 */
public record CacheKey(String encoder, int[] featureShape, FeatureDType dtype, int spatialSize, String weightsSha256,
        String preprocessing) {

    /**
     * Validates the fields and copies the shape.
     *
     * @param encoder see the record description
     * @param featureShape see the record description
     * @param dtype see the record description
     * @param spatialSize see the record description
     * @param weightsSha256 see the record description
     * @param preprocessing see the record description
     * @throws IllegalArgumentException if a text field is blank or contains a line break, the shape
     *     is not {@code {D}} or {@code {H, W, D}} of positive sizes, a row would not fit 2 GB, or the
     *     pooled side does not fit the shape
     */
    public CacheKey {
        for (String s : new String[] {encoder, weightsSha256, preprocessing}) {
            Objects.requireNonNull(s);
            if (s.isBlank() || s.contains("\n") || s.contains("\r")) {
                throw new IllegalArgumentException("cache key fields must be one non-blank line, got '" + s + "'");
            }
        }
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(featureShape, "featureShape");
        featureShape = featureShape.clone();
        if ((featureShape.length != 1 && featureShape.length != 3)
                || Arrays.stream(featureShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("featureShape must be {D} or {H, W, D} of positive sizes, found "
                    + Arrays.toString(featureShape));
        }
        long bytes = (long) dtype.bytes();
        for (int d : featureShape) {
            bytes *= d;
        }
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("one row of " + Arrays.toString(featureShape) + " " + dtype
                    + " takes " + bytes + " bytes, more than a row may (" + Integer.MAX_VALUE + ")");
        }
        if (spatialSize < 0 || (spatialSize > 0 && (featureShape.length != 3 || featureShape[0] != spatialSize
                || featureShape[1] != spatialSize))) {
            throw new IllegalArgumentException("spatialSize must be 0, or the side of a square spatial map, found "
                    + spatialSize + " for shape " + Arrays.toString(featureShape));
        }
    }

    /**
     * Creates the key of float32 feature vectors of length D (the only kind of the format's first
     * version).
     *
     * @param encoder the encoder's name
     * @param featureSize D
     * @param weightsSha256 the weights digest or label
     * @param preprocessing the preprocessing's description
     * @throws IllegalArgumentException if a field is blank, contains a line break, or D is not positive
     */
    public CacheKey(String encoder, int featureSize, String weightsSha256, String preprocessing) {
        this(encoder, new int[] {featureSize}, FeatureDType.FLOAT32, 0, weightsSha256, preprocessing);
    }

    /**
     * Creates the key of the rows an encoder gives as it is configured: its name, {@link
     * BlockEncoder#featureShape()}, spatial pooling and preprocessing.
     *
     * @param encoder the encoder that computes the rows
     * @param weightsSha256 hex SHA-256 of its weights, or a label for weights without a file
     * @param dtype how the rows are stored
     * @return the key
     */
    public static CacheKey of(BlockEncoder encoder, String weightsSha256, FeatureDType dtype) {
        return new CacheKey(encoder.name(), encoder.featureShape(), dtype,
                encoder.options().spatial() ? encoder.options().spatialSize() : 0, weightsSha256,
                encoder.preprocessing().toString());
    }

    /**
     * Returns the shape of one image's row.
     *
     * @return a fresh array
     */
    @Override
    public int[] featureShape() {
        return featureShape.clone();
    }

    /**
     * Returns the length of one row, the product of {@link #featureShape()}: D for vectors, H·W·D
     * for spatial maps.
     *
     * @return the number of values per row
     */
    public int featureSize() {
        int n = 1;
        for (int d : featureShape) {
            n *= d;
        }
        return n;
    }

    /**
     * Returns the bytes one row takes on disk.
     *
     * @return {@link #featureSize()} times the dtype's size
     */
    public int rowBytes() {
        return featureSize() * dtype.bytes();
    }

    /**
     * Returns whether the rows are spatial maps.
     *
     * @return true for {@code {H, W, D}} rows
     */
    public boolean spatial() {
        return featureShape.length == 3;
    }

    /** Returns the fields as ordered name → value pairs, as stored in the cache's index. */
    Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("encoder", encoder);
        m.put("feature_shape", shapeText(featureShape));
        m.put("feature_size", Integer.toString(featureSize()));
        m.put("dtype", dtype.id());
        m.put("spatial", spatialText());
        m.put("weights_sha256", weightsSha256);
        m.put("preprocessing", preprocessing);
        return m;
    }

    /** The value of the {@code spatial} field: {@code none}, {@code native} or {@code pooled-S}. */
    private String spatialText() {
        if (!spatial()) {
            return "none";
        }
        return spatialSize == 0 ? "native" : "pooled-" + spatialSize;
    }

    /** A shape as {@code 7x7x2048}. */
    static String shapeText(int[] shape) {
        return Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKey k && encoder.equals(k.encoder) && Arrays.equals(featureShape, k.featureShape)
                && dtype == k.dtype && spatialSize == k.spatialSize && weightsSha256.equals(k.weightsSha256)
                && preprocessing.equals(k.preprocessing);
    }

    @Override
    public int hashCode() {
        return Objects.hash(encoder, Arrays.hashCode(featureShape), dtype, spatialSize, weightsSha256, preprocessing);
    }

    @Override
    public String toString() {
        return "CacheKey" + fields();
    }
}
