package io.captioner.data;

import java.util.Locale;

/**
 * The partition of a corpus an image belongs to.
 *
 * <p>{@link #NONE} marks an image that is annotated but listed in no split file; such images are
 * kept in the dataset (so that nothing is silently lost) but are not used for training or
 * evaluation. The real Flickr8k annotations have 92 of them.
 */
public enum Split {
    /** Images used to fit the model ({@code Flickr_8k.trainImages.txt}). */
    TRAIN,
    /** Images used for early stopping and tuning ({@code Flickr_8k.devImages.txt}, "val"). */
    DEV,
    /** Images held out for the final scores ({@code Flickr_8k.testImages.txt}). */
    TEST,
    /** Images annotated but named in no split file. */
    NONE;

    /**
     * Parses a split name as typed on a command line: {@code train}, {@code dev} or {@code val},
     * {@code test}, {@code none}; case and surrounding blanks are ignored.
     *
     * @param name the name to parse
     * @return the split
     * @throws IllegalArgumentException if the name is null or not one of the accepted names; the
     *     message lists the accepted names and repeats the value found
     */
    public static Split parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException(
                    "split name must be one of train, dev (or val), test, none; found null");
        }
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "train":
                return TRAIN;
            case "dev":
            case "val":
                return DEV;
            case "test":
                return TEST;
            case "none":
                return NONE;
            default:
                throw new IllegalArgumentException(
                        "split name must be one of train, dev (or val), test, none; found '" + name + "'");
        }
    }

    /**
     * Returns the lowercase name used in files and JSON ({@code train}, {@code dev}, {@code test},
     * {@code none}).
     *
     * @return the lowercase name, accepted by {@link #parse(String)}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
