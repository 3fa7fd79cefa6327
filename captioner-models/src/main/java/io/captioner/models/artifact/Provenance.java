package io.captioner.models.artifact;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where a saved model came from: the training data, its split sizes, the number of epochs and the
 * validation scores of the saved epoch. Informational; loading never depends on it.
 *
 * @param dataset a description of the training data, e.g. {@code "flickr8k (/data/flickr8k)"}
 * @param trainImages images in the training split, or 0 if unknown
 * @param devImages images in the validation split, or 0 if unknown
 * @param testImages images in the test split, or 0 if unknown
 * @param epochs epochs trained (the saved epoch), or 0 if unknown
 * @param validationMetrics metric name → value on the validation split (for example
 *     {@code bleu4}, {@code loss}), in insertion order
 */
public record Provenance(String dataset, int trainImages, int devImages, int testImages, int epochs,
        Map<String, Double> validationMetrics) {

    /** Provenance of a model whose training is not recorded. */
    public static final Provenance UNKNOWN = new Provenance("unknown", 0, 0, 0, 0, Map.of());

    /**
     * Checks and copies the fields.
     *
     * @param dataset see the record description
     * @param trainImages see the record description
     * @param devImages see the record description
     * @param testImages see the record description
     * @param epochs see the record description
     * @param validationMetrics see the record description
     * @throws IllegalArgumentException if a count is negative
     */
    public Provenance {
        Objects.requireNonNull(dataset, "dataset");
        if (trainImages < 0 || devImages < 0 || testImages < 0 || epochs < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "counts must not be negative, found train=%d dev=%d test=%d epochs=%d",
                    trainImages, devImages, testImages, epochs));
        }
        validationMetrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(validationMetrics));
    }
}
