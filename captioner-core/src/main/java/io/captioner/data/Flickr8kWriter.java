package io.captioner.data;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Writes a {@link CaptionDataset} in the original Flickr8k layout, so that
 * {@link Flickr8kReader} reads back an equal dataset.
 *
 * <p>Files written into the directory (created if needed): {@code Flickr8k.token.txt} with one
 * line {@code <image>#<n><TAB><caption>} per caption in dataset order, and
 * {@code Flickr_8k.trainImages.txt}, {@code Flickr_8k.devImages.txt},
 * {@code Flickr_8k.testImages.txt} with the names of each split in dataset order. Images of split
 * {@link Split#NONE} appear in the token file only. UTF-8, LF line ends, no byte-order mark. Each
 * file is written to a temporary file and moved into place atomically, replacing an existing file;
 * images are not copied.
 *
 * <p>Stateless and thread-safe.
 */
public final class Flickr8kWriter {

    private Flickr8kWriter() {}

    /**
     * Writes the token file and the three split files of a dataset into a directory.
     *
     * @param dataset the dataset to write; at most 5 captions per image if it is to be read back
     *     with the reader's default options
     * @param dir the target directory, created if missing
     * @throws io.captioner.CaptionerException if a file cannot be written
     */
    public static void write(CaptionDataset dataset, Path dir) {
        if (dataset == null || dir == null) {
            throw new IllegalArgumentException("dataset and dir must not be null");
        }
        StringBuilder token = new StringBuilder();
        Map<Split, StringBuilder> splits = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            splits.put(s, new StringBuilder());
        }
        for (ImageCaptions image : dataset.images()) {
            for (int n = 0; n < image.captions().size(); n++) {
                token.append(image.imageId()).append('#').append(n).append('\t')
                        .append(image.captions().get(n)).append('\n');
            }
            splits.get(image.split()).append(image.imageId()).append('\n');
        }
        TextFiles.writeAtomically(dir.resolve(Flickr8kReader.TOKEN_FILE), token.toString());
        TextFiles.writeAtomically(dir.resolve(Flickr8kReader.TRAIN_FILE), splits.get(Split.TRAIN).toString());
        TextFiles.writeAtomically(dir.resolve(Flickr8kReader.DEV_FILE), splits.get(Split.DEV).toString());
        TextFiles.writeAtomically(dir.resolve(Flickr8kReader.TEST_FILE), splits.get(Split.TEST).toString());
    }
}
