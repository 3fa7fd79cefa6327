package io.captioner.models.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a feature cache was computed with; two caches are interchangeable only if their keys are
 * equal.
 *
 * @param encoder the encoder's name, e.g. {@code resnet50}
 * @param featureSize D, the length of each vector
 * @param weightsSha256 hex SHA-256 of the weights file ({@link io.captioner.io.Digests#sha256(java.nio.file.Path)}), or a label such as
 *     {@code random-seed-7} for weights that have no file
 * @param preprocessing the preprocessing's description ({@code Preprocessing.toString()})
 */
public record CacheKey(String encoder, int featureSize, String weightsSha256, String preprocessing) {

    /**
     * Validates the fields.
     *
     * @param encoder the encoder's name
     * @param featureSize D
     * @param weightsSha256 the weights digest or label
     * @param preprocessing the preprocessing's description
     * @throws IllegalArgumentException if a field is blank, contains a line break, or D is not positive
     */
    public CacheKey {
        for (String s : new String[] {encoder, weightsSha256, preprocessing}) {
            Objects.requireNonNull(s);
            if (s.isBlank() || s.contains("\n") || s.contains("\r")) {
                throw new IllegalArgumentException("cache key fields must be one non-blank line, got '" + s + "'");
            }
        }
        if (featureSize <= 0) {
            throw new IllegalArgumentException("featureSize must be positive, got " + featureSize);
        }
    }

    /** Returns the fields as ordered name → value pairs, as stored in the cache's index. */
    Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("encoder", encoder);
        m.put("feature_size", Integer.toString(featureSize));
        m.put("weights_sha256", weightsSha256);
        m.put("preprocessing", preprocessing);
        return m;
    }
}
