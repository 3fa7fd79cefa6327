package io.captioner.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One metric's score of an evaluated set: the corpus score (the mean of the per-image scores, as
 * coco-caption reports ROUGE-L and CIDEr-D) and each image's score.
 *
 * @param corpus the mean over images of {@code perImage}
 * @param perImage image id to score, in the hypotheses' order; unmodifiable
 */
public record MetricResult(double corpus, Map<String, Double> perImage) {

    /**
     * Copies the map.
     *
     * @param corpus see the record description
     * @param perImage see the record description
     */
    public MetricResult {
        perImage = Collections.unmodifiableMap(new LinkedHashMap<>(perImage));
    }

    /**
     * Builds a result whose corpus score is the mean of the per-image scores.
     *
     * @param perImage image id to score; not empty
     * @return the result
     * @throws IllegalArgumentException if the map is empty
     */
    static MetricResult ofMean(Map<String, Double> perImage) {
        if (perImage.isEmpty()) {
            throw new IllegalArgumentException("no per-image scores to average");
        }
        double sum = 0;
        for (double v : perImage.values()) {
            sum += v;
        }
        return new MetricResult(sum / perImage.size(), perImage);
    }

    @Override
    public String toString() {
        return "MetricResult[corpus=" + corpus + ", perImage=" + perImage.size() + " images]";
    }
}
