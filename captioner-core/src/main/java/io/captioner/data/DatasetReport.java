package io.captioner.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reader found and decided while building a {@link CaptionDataset}: where the data came
 * from, how the split was obtained, which ids it repaired, which images it left out of every split
 * or skipped, and a human-readable warning for each of those. Immutable.
 *
 * <p>The reader also logs every warning through SLF4J (logger {@code io.captioner.data}) at WARN.
 *
 * @param layout the layout that was read
 * @param sourceFiles the annotation files that were read, in reading order
 * @param imageDir the directory image ids are resolved against
 * @param splitSource how the split was obtained, for example
 *     {@code "split files Flickr_8k.{train,dev,test}Images.txt"} or a description of the derived
 *     split
 * @param repairedIds malformed image ids that were merged into another image, typo id to the id it
 *     was merged into, in file order (Flickr8k: {@code 2258277193_586949ec62.jpg.1} to
 *     {@code 2258277193_586949ec62.jpg})
 * @param imagesInNoSplit ids of annotated images that no split file names (split
 *     {@link Split#NONE}), in dataset order
 * @param skippedMissingImages ids dropped because their image file did not exist (only with
 *     {@link Flickr8kReader.Builder#optSkipMissingImages(boolean)})
 * @param warnings one sentence per noteworthy finding, in the order found
 */
public record DatasetReport(
        DatasetLayout layout,
        List<Path> sourceFiles,
        Path imageDir,
        String splitSource,
        Map<String, String> repairedIds,
        List<String> imagesInNoSplit,
        List<String> skippedMissingImages,
        List<String> warnings) {

    /**
     * Validates and copies the fields.
     *
     * @param layout see the record description
     * @param sourceFiles see the record description
     * @param imageDir see the record description
     * @param splitSource see the record description
     * @param repairedIds see the record description
     * @param imagesInNoSplit see the record description
     * @param skippedMissingImages see the record description
     * @param warnings see the record description
     * @throws IllegalArgumentException if any field is null
     */
    public DatasetReport {
        if (layout == null || sourceFiles == null || imageDir == null || splitSource == null
                || repairedIds == null || imagesInNoSplit == null || skippedMissingImages == null
                || warnings == null) {
            throw new IllegalArgumentException("no DatasetReport field may be null");
        }
        sourceFiles = List.copyOf(sourceFiles);
        repairedIds = Collections.unmodifiableMap(new LinkedHashMap<>(repairedIds));
        imagesInNoSplit = List.copyOf(imagesInNoSplit);
        skippedMissingImages = List.copyOf(skippedMissingImages);
        warnings = List.copyOf(warnings);
    }

    /**
     * Returns the report of a dataset built in memory: no files, no repairs, no warnings.
     *
     * @param imageDir the directory image ids are resolved against
     * @param imagesInNoSplit ids whose split is {@link Split#NONE}
     * @return the report
     */
    static DatasetReport inMemory(Path imageDir, List<String> imagesInNoSplit) {
        return new DatasetReport(DatasetLayout.IN_MEMORY, List.of(), imageDir, "given in memory",
                Map.of(), imagesInNoSplit, List.of(), List.of());
    }

    /**
     * Returns a copy that also records images dropped for lack of an image file.
     *
     * @param skipped the dropped ids
     * @param warning the sentence to add to the warnings
     * @param stillInNoSplit the no-split ids that remain after dropping
     * @return the new report
     */
    DatasetReport withSkipped(List<String> skipped, String warning, List<String> stillInNoSplit) {
        List<String> allSkipped = new ArrayList<>(skippedMissingImages);
        allSkipped.addAll(skipped);
        List<String> allWarnings = new ArrayList<>(warnings);
        allWarnings.add(warning);
        return new DatasetReport(layout, sourceFiles, imageDir, splitSource, repairedIds,
                stillInNoSplit, allSkipped, allWarnings);
    }
}
