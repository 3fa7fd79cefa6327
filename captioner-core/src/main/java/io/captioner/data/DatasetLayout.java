package io.captioner.data;

/**
 * The on-disk layout a {@link CaptionDataset} was read from.
 *
 * <p>{@link Flickr8kReader} detects the layout of a directory in the order ORIGINAL, KAGGLE,
 * KARPATHY: the first whose caption file exists wins.
 */
public enum DatasetLayout {
    /**
     * The original Flickr8k distribution: {@code Flickr8k.token.txt} with lines
     * {@code <image>#<n><TAB><caption>} and the split files {@code Flickr_8k.trainImages.txt},
     * {@code Flickr_8k.devImages.txt}, {@code Flickr_8k.testImages.txt} (one image name a line).
     */
    ORIGINAL("Flickr8k.token.txt"),
    /**
     * The Kaggle repackaging: {@code captions.txt}, an RFC 4180 CSV with header
     * {@code image,caption}; it has no split files of its own.
     */
    KAGGLE("captions.txt"),
    /**
     * Andrej Karpathy's preprocessed {@code dataset_flickr8k.json}: {@code images[]} with
     * {@code filename}, {@code split} and {@code sentences[].raw}.
     */
    KARPATHY("dataset_flickr8k.json"),
    /** Built in memory with {@link CaptionDataset#of}, not read from files. */
    IN_MEMORY("");

    private final String captionFile;

    DatasetLayout(String captionFile) {
        this.captionFile = captionFile;
    }

    /**
     * Returns the name of the file whose presence identifies this layout.
     *
     * @return a file name such as {@code Flickr8k.token.txt}; empty for {@link #IN_MEMORY}
     */
    public String captionFile() {
        return captionFile;
    }
}
