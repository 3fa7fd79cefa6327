package io.captioner.models.cache;

import io.captioner.CaptionerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a feature cache was computed with; two caches are interchangeable only if their keys are
 * equal.
 *
 * @param encoder the encoder's name, e.g. {@code resnet50}
 * @param featureSize D, the length of each vector
 * @param weightsSha256 hex SHA-256 of the weights file ({@link #sha256(Path)}), or a label such as
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

    /**
     * Hashes a file with SHA-256.
     *
     * @param file the weights file
     * @return lowercase hex digest
     * @throws CaptionerException if the file cannot be read
     */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new CaptionerException(file + ": cannot hash weights file: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
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
