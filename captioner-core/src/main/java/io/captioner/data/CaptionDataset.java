package io.captioner.data;

import io.captioner.CaptionerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An image-caption corpus: an ordered list of {@link ImageCaptions} with lookup by image id, the
 * split of each image, the directory the image files live in, and the {@link DatasetReport} of how
 * it was read.
 *
 * <p>Obtain one from {@link Flickr8kReader} or build one in memory with {@link #of(List, Path)}.
 * Image order is the order of first appearance in the caption file (JSON order for Karpathy's
 * file). Reading annotations does not require the images; call {@link #verifyImages()} before a
 * step that loads them.
 *
 * <p>Equality compares the image records only (ids, splits, captions, order); the image directory
 * and the report describe provenance and are ignored, so a dataset written with
 * {@link Flickr8kWriter} and read back equals the original.
 *
 * <p>Immutable and thread-safe.
 */
public final class CaptionDataset {

    private static final Logger LOG = LoggerFactory.getLogger(CaptionDataset.class);
    private static final int LIST_IN_MESSAGE = 5;

    private final List<ImageCaptions> images;
    private final Map<String, ImageCaptions> byId;
    private final DatasetReport report;

    CaptionDataset(List<ImageCaptions> images, DatasetReport report) {
        this.images = List.copyOf(images);
        Map<String, ImageCaptions> map = new LinkedHashMap<>();
        for (ImageCaptions image : this.images) {
            if (map.put(image.imageId(), image) != null) {
                throw new IllegalArgumentException("image id " + image.imageId() + " occurs twice");
            }
        }
        this.byId = Collections.unmodifiableMap(map);
        this.report = report;
    }

    /**
     * Builds a dataset from records held in memory (a synthetic corpus, a filtered copy).
     *
     * @param images the records in the order the dataset should keep; ids must be distinct
     * @param imageDir the directory image ids are resolved against
     * @return the dataset, with layout {@link DatasetLayout#IN_MEMORY} and an empty report
     * @throws IllegalArgumentException if an argument is null or an id occurs twice
     */
    public static CaptionDataset of(List<ImageCaptions> images, Path imageDir) {
        if (images == null || imageDir == null) {
            throw new IllegalArgumentException("images and imageDir must not be null");
        }
        List<String> none = new ArrayList<>();
        for (ImageCaptions image : images) {
            if (image.split() == Split.NONE) {
                none.add(image.imageId());
            }
        }
        return new CaptionDataset(images, DatasetReport.inMemory(imageDir, none));
    }

    /**
     * Returns all image records in dataset order.
     *
     * @return an unmodifiable list
     */
    public List<ImageCaptions> images() {
        return images;
    }

    /**
     * Returns the number of images.
     *
     * @return the number of image records
     */
    public int size() {
        return images.size();
    }

    /**
     * Returns the total number of reference captions over all images.
     *
     * @return the caption count
     */
    public int captionCount() {
        int n = 0;
        for (ImageCaptions image : images) {
            n += image.captions().size();
        }
        return n;
    }

    /**
     * Looks an image up by id.
     *
     * @param imageId a file name such as {@code 1000268201_693b08cb0e.jpg}
     * @return the record, or empty if the dataset has no such image
     */
    public Optional<ImageCaptions> find(String imageId) {
        return Optional.ofNullable(byId.get(imageId));
    }

    /**
     * Returns the record of an image that must be present.
     *
     * @param imageId a file name such as {@code 1000268201_693b08cb0e.jpg}
     * @return the record
     * @throws IllegalArgumentException if the dataset has no such image
     */
    public ImageCaptions get(String imageId) {
        ImageCaptions image = byId.get(imageId);
        if (image == null) {
            throw new IllegalArgumentException("no image '" + imageId + "' in the dataset");
        }
        return image;
    }

    /**
     * Tells whether the dataset has an image.
     *
     * @param imageId a file name
     * @return true if a record has this id
     */
    public boolean contains(String imageId) {
        return byId.containsKey(imageId);
    }

    /**
     * Returns the images of one split in dataset order.
     *
     * @param split the split; {@link Split#NONE} gives the images in no split file
     * @return an unmodifiable list, possibly empty
     */
    public List<ImageCaptions> split(Split split) {
        if (split == null) {
            throw new IllegalArgumentException("split must not be null");
        }
        List<ImageCaptions> out = new ArrayList<>();
        for (ImageCaptions image : images) {
            if (image.split() == split) {
                out.add(image);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Returns every reference caption of one split, image by image in dataset order and caption
     * number order within an image; handy for building a vocabulary from the training captions.
     *
     * @param split the split
     * @return an unmodifiable list of raw captions
     */
    public List<String> captions(Split split) {
        List<String> out = new ArrayList<>();
        for (ImageCaptions image : split(split)) {
            out.addAll(image.captions());
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Counts the images of each split.
     *
     * @return an unmodifiable map with an entry for every {@link Split}, in enum order
     */
    public Map<Split, Integer> splitSizes() {
        Map<Split, Integer> sizes = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            sizes.put(s, 0);
        }
        for (ImageCaptions image : images) {
            sizes.merge(image.split(), 1, Integer::sum);
        }
        return Collections.unmodifiableMap(sizes);
    }

    /**
     * Returns where an image's file is expected; the file need not exist.
     *
     * @param imageId an id of this dataset
     * @return {@code imageDir().resolve(imageId)}
     * @throws IllegalArgumentException if the dataset has no such image
     */
    public Path imagePath(String imageId) {
        get(imageId);
        return report.imageDir().resolve(imageId);
    }

    /**
     * Returns the directory image ids are resolved against.
     *
     * @return the image directory (it need not exist when only annotations are used)
     */
    public Path imageDir() {
        return report.imageDir();
    }

    /**
     * Returns the layout the dataset was read from.
     *
     * @return the layout, {@link DatasetLayout#IN_MEMORY} for {@link #of(List, Path)}
     */
    public DatasetLayout layout() {
        return report.layout();
    }

    /**
     * Returns what the reader found and decided (repairs, images in no split, skipped images).
     *
     * @return the report
     */
    public DatasetReport report() {
        return report;
    }

    /**
     * Lists the images whose file does not exist (or is not a regular file) under the image
     * directory. Touches the file system once per image.
     *
     * @return the missing ids in dataset order, empty if every image is present
     */
    public List<String> missingImages() {
        List<String> missing = new ArrayList<>();
        for (ImageCaptions image : images) {
            if (!Files.isRegularFile(report.imageDir().resolve(image.imageId()))) {
                missing.add(image.imageId());
            }
        }
        return missing;
    }

    /**
     * Checks that every image file exists, for use before a step that loads the images.
     *
     * @return this dataset, for chaining
     * @throws CaptionerException if any image is missing; the message gives the image directory,
     *     the number missing and the first few ids
     */
    public CaptionDataset verifyImages() {
        List<String> missing = missingImages();
        if (!missing.isEmpty()) {
            throw new CaptionerException(missing.size() + " of " + images.size()
                    + " images are missing in image directory " + report.imageDir() + ": "
                    + preview(missing) + " (use optSkipMissingImages(true) to drop them)");
        }
        return this;
    }

    /**
     * Returns a copy without the images whose file is missing, recording them in the report's
     * {@link DatasetReport#skippedMissingImages()} and warnings.
     *
     * @return this dataset if nothing is missing, otherwise the filtered copy
     */
    public CaptionDataset withoutMissingImages() {
        List<String> missing = missingImages();
        if (missing.isEmpty()) {
            return this;
        }
        Set<String> gone = new HashSet<>(missing);
        List<ImageCaptions> kept = new ArrayList<>();
        List<String> none = new ArrayList<>();
        for (ImageCaptions image : images) {
            if (!gone.contains(image.imageId())) {
                kept.add(image);
                if (image.split() == Split.NONE) {
                    none.add(image.imageId());
                }
            }
        }
        String warning = "skipped " + missing.size() + " of " + images.size()
                + " images whose file is missing in " + report.imageDir() + ": " + preview(missing);
        LOG.warn(warning);
        return new CaptionDataset(kept, report.withSkipped(missing, warning, none));
    }

    static String preview(List<String> ids) {
        if (ids.size() <= LIST_IN_MESSAGE) {
            return String.join(", ", ids);
        }
        return String.join(", ", ids.subList(0, LIST_IN_MESSAGE)) + ", ... ("
                + (ids.size() - LIST_IN_MESSAGE) + " more)";
    }

    /**
     * Compares the image records (ids, splits, captions and their order) only.
     *
     * @param o another object
     * @return true if {@code o} is a dataset with equal records in the same order
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof CaptionDataset && ((CaptionDataset) o).images.equals(images);
    }

    @Override
    public int hashCode() {
        return images.hashCode();
    }

    /**
     * Summarises the dataset: layout, image count per split, caption count and image directory.
     *
     * @return a one-line description
     */
    @Override
    public String toString() {
        Map<Split, Integer> sizes = splitSizes();
        return "CaptionDataset[layout=" + layout() + ", images=" + images.size()
                + " (train " + sizes.get(Split.TRAIN) + ", dev " + sizes.get(Split.DEV)
                + ", test " + sizes.get(Split.TEST) + ", none " + sizes.get(Split.NONE)
                + "), captions=" + captionCount() + ", imageDir=" + imageDir() + "]";
    }
}
