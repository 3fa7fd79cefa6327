package io.captioner.models.train;

import io.captioner.CaptionDecoder;
import io.captioner.data.EncodedCaptions;

/**
 * A caption-quality score on the validation split, such as corpus BLEU-4 of greedy captions, used
 * for early stopping and for choosing the best checkpoint. Higher is better.
 */
public interface ValidationMetric {

    /**
     * Returns a short name for logs, such as {@code "bleu4"}.
     *
     * @return the name
     */
    String name();

    /**
     * Scores the decoder's captions for the validation images.
     *
     * @param decoder the decoder in its current state; must not be closed by the metric, and its
     *     parameters must not be changed
     * @param features one feature vector per validation image
     * @param references per image, its reference captions as word ids
     * @return the score, higher is better
     */
    double evaluate(CaptionDecoder decoder, float[][] features, EncodedCaptions references);

    /**
     * Scores the decoder's captions for validation images whose features are read on demand; the
     * trainer calls this one. The default reads every row and calls {@link #evaluate(CaptionDecoder,
     * float[][], EncodedCaptions)}; a metric that can score chunk by chunk overrides it, so that a
     * split's features never have to fit in memory.
     *
     * @param decoder the decoder in its current state; must not be closed by the metric, and its
     *     parameters must not be changed
     * @param features one row per validation image
     * @param references per image, its reference captions as word ids
     * @return the score, higher is better
     */
    default double evaluate(CaptionDecoder decoder, FeatureRows features, EncodedCaptions references) {
        return evaluate(decoder, features.rows(0, features.size()), references);
    }
}
