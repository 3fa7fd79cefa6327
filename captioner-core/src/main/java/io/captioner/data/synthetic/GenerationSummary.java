package io.captioner.data.synthetic;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link SyntheticDataset#generate(Path)} wrote (or found already written).
 *
 * @param directory the dataset directory, in the Flickr8k original layout
 * @param trainImages images listed in {@code Flickr_8k.trainImages.txt}
 * @param devImages images listed in {@code Flickr_8k.devImages.txt}
 * @param testImages images listed in {@code Flickr_8k.testImages.txt}
 * @param heldOutPairs the (colour, kind) combinations that no training image contains
 * @param devComposition whether dev images follow the training or the test rule
 * @param seconds wall-clock time spent generating; 0 when an existing dataset was reused
 * @param reused true if the directory already held this exact dataset and nothing was written
 */
public record GenerationSummary(
        Path directory,
        int trainImages,
        int devImages,
        int testImages,
        List<ColouredShape> heldOutPairs,
        SyntheticDataset.Composition devComposition,
        double seconds,
        boolean reused) {

    /**
     * Checks for nulls and copies the list.
     *
     * @throws NullPointerException if a field is null
     */
    public GenerationSummary {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(devComposition, "devComposition");
        heldOutPairs = List.copyOf(heldOutPairs);
    }

    /**
     * Returns the number of images over all splits.
     *
     * @return train + dev + test
     */
    public int images() {
        return trainImages + devImages + testImages;
    }

    /**
     * Returns the number of caption lines in the token file.
     *
     * @return five per image
     */
    public int captions() {
        return images() * SyntheticDataset.CAPTIONS_PER_IMAGE;
    }

    /**
     * Describes the result, for example
     * {@code "2000 images (train 1600, dev 200, test 200) in /data/synth, 1.8 s, held out [...]"}.
     *
     * @return a readable one-line summary
     */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "%d images (train %d, dev %d, test %d) in %s, %s, held out %s, dev %s",
                images(), trainImages, devImages, testImages, directory,
                reused ? "reused" : String.format(java.util.Locale.ROOT, "%.2f s", seconds),
                heldOutPairs, devComposition);
    }
}
