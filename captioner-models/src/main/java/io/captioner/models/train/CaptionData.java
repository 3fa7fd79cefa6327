package io.captioner.models.train;

import java.util.List;

/**
 * A split for training or validation: image features and, per image, its reference captions as
 * word ids (without {@code <start>}/{@code <end>}). Every (image, caption) pair is one training
 * sample.
 *
 * @param features the feature vectors (or the images and a trainable encoder)
 * @param captions {@code captions.get(i)} holds the tokenized references of image i, each an array
 *     of {@link io.captioner.text.Vocabulary} ids; kept by reference
 */
public record CaptionData(FeatureSource features, List<List<int[]>> captions) {

    /**
     * Checks that there is one caption list per image and that every image has a caption.
     *
     * @param features see the record description
     * @param captions see the record description
     * @throws IllegalArgumentException naming the first offending image
     */
    public CaptionData {
        if (features == null || captions == null) {
            throw new IllegalArgumentException("features and captions must not be null");
        }
        if (captions.size() != features.size()) {
            throw new IllegalArgumentException("captions must hold one list per image: " + features.size()
                    + " images, found " + captions.size() + " lists");
        }
        for (int i = 0; i < captions.size(); i++) {
            if (captions.get(i) == null || captions.get(i).isEmpty()) {
                throw new IllegalArgumentException("captions[" + i + "] must hold at least one caption");
            }
        }
    }

    /**
     * Returns the number of (image, caption) pairs.
     *
     * @return the sample count
     */
    public int sampleCount() {
        int n = 0;
        for (List<int[]> c : captions) {
            n += c.size();
        }
        return n;
    }
}
