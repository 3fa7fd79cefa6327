package io.captioner.models.train;

import io.captioner.data.EncodedCaptions;

/**
 * A split for training or validation: image features and, per image, its reference captions as
 * word ids. Every (image, caption) pair is one training sample.
 *
 * @param features the features of the images (precomputed, or images and a trainable encoder)
 * @param captions per image, in the same order as the features, its encoded references
 */
public record CaptionData(FeatureSource features, EncodedCaptions captions) {

    /**
     * Checks that there is one caption list per image.
     *
     * @param features see the record description
     * @param captions see the record description
     * @throws IllegalArgumentException if either is null or their image counts differ
     */
    public CaptionData {
        if (features == null || captions == null) {
            throw new IllegalArgumentException("features and captions must not be null");
        }
        if (captions.size() != features.size()) {
            throw new IllegalArgumentException("captions must hold one list per image: " + features.size()
                    + " images, found " + captions.size() + " lists");
        }
    }

    /**
     * Returns the number of (image, caption) pairs.
     *
     * @return the sample count
     */
    public int sampleCount() {
        return captions.sampleCount();
    }
}
