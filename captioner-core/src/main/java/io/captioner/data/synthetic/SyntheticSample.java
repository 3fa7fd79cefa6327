package io.captioner.data.synthetic;

import io.captioner.data.Split;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

/**
 * One generated image with its reference captions and the scene they describe.
 *
 * <p>The image is a fresh {@code TYPE_INT_RGB} {@link BufferedImage} owned by the caller (it is
 * mutable; the record does not copy it).
 *
 * @param index the image's position in the dataset, from 0
 * @param imageName the file name in the Flickr8k layout, for example {@code synth_000123.png}
 * @param split the split the image belongs to
 * @param scene what the image shows
 * @param image the rendered scene
 * @param captions five distinct reference captions, each ending in {@code " ."}
 */
public record SyntheticSample(
        int index,
        String imageName,
        Split split,
        Scene scene,
        BufferedImage image,
        List<String> captions) {

    /**
     * Checks for nulls and copies the caption list.
     *
     * @throws NullPointerException if a field is null
     */
    public SyntheticSample {
        Objects.requireNonNull(imageName, "imageName");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(scene, "scene");
        Objects.requireNonNull(image, "image");
        captions = List.copyOf(captions);
    }
}
