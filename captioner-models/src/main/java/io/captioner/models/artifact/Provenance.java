package io.captioner.models.artifact;

import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where a saved model came from: the training data (a description, its split sizes and a digest of
 * the exact captions), the training configuration and seed, the number of epochs and the
 * validation scores of the saved epoch. Informational; loading never depends on it. The training
 * pipeline assembles it from the objects it was configured with (the configuration records
 * serialise themselves), so nothing is copied by hand.
 *
 * @param dataset a description of the training data, e.g. {@code "flickr8k (/data/flickr8k)"}
 * @param datasetSha256 SHA-256 of the image ids and captions of the splits, or null if unknown
 * @param trainImages images in the training split, or 0 if unknown
 * @param devImages images in the validation split, or 0 if unknown
 * @param testImages images in the test split, or 0 if unknown
 * @param epochs epochs trained (the saved epoch), or 0 if unknown
 * @param seed the training seed, or null if unknown
 * @param trainingConfig the training configuration as JSON (its record's fields), or null if unknown
 * @param validationMetrics metric name → value on the validation split (for example
 *     {@code bleu4}, {@code loss}), in insertion order
 */
public record Provenance(String dataset, String datasetSha256, int trainImages, int devImages, int testImages,
        int epochs, Long seed, JsonObject trainingConfig, Map<String, Double> validationMetrics) {

    /** Provenance of a model whose training is not recorded. */
    public static final Provenance UNKNOWN = new Provenance("unknown", 0, 0, 0, 0, Map.of());

    /**
     * Checks and copies the fields.
     *
     * @param dataset see the record description
     * @param datasetSha256 see the record description
     * @param trainImages see the record description
     * @param devImages see the record description
     * @param testImages see the record description
     * @param epochs see the record description
     * @param seed see the record description
     * @param trainingConfig see the record description
     * @param validationMetrics see the record description
     * @throws IllegalArgumentException if a count is negative or the digest is not 64 hex digits
     */
    public Provenance {
        Objects.requireNonNull(dataset, "dataset");
        if (trainImages < 0 || devImages < 0 || testImages < 0 || epochs < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "counts must not be negative, found train=%d dev=%d test=%d epochs=%d",
                    trainImages, devImages, testImages, epochs));
        }
        if (datasetSha256 != null && !datasetSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("datasetSha256 must be 64 lowercase hex digits, found '"
                    + datasetSha256 + "'");
        }
        trainingConfig = trainingConfig == null ? null : trainingConfig.deepCopy();
        validationMetrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(validationMetrics));
    }

    /**
     * Creates a provenance without digest, seed or configuration (as artifacts of format version 1
     * before they were recorded).
     *
     * @param dataset see the record description
     * @param trainImages see the record description
     * @param devImages see the record description
     * @param testImages see the record description
     * @param epochs see the record description
     * @param validationMetrics see the record description
     */
    public Provenance(String dataset, int trainImages, int devImages, int testImages, int epochs,
            Map<String, Double> validationMetrics) {
        this(dataset, null, trainImages, devImages, testImages, epochs, null, null, validationMetrics);
    }

    /**
     * Returns the training configuration as JSON.
     *
     * @return a copy, or null if unknown
     */
    @Override
    public JsonObject trainingConfig() {
        return trainingConfig == null ? null : trainingConfig.deepCopy();
    }
}
