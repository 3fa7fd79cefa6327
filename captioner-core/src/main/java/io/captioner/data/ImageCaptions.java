package io.captioner.data;

import java.util.List;

/**
 * One annotated image: its file name, the split it belongs to and its reference captions.
 *
 * <p>The captions are the raw sentences as written by the annotators, in their original order
 * (caption {@code #0} first), trimmed and with any tab or line break replaced by a space; they
 * are not tokenized or lowercased. Immutable and thread-safe.
 *
 * @param imageId the image's file name relative to the image directory, for example
 *     {@code 1000268201_693b08cb0e.jpg}; not blank, no tab, line break or {@code '#'}
 * @param split the split the image belongs to; {@link Split#NONE} if it is in no split file
 * @param captions the reference captions, at least one, none blank or containing a tab or line
 *     break; the list is copied and unmodifiable
 */
public record ImageCaptions(String imageId, Split split, List<String> captions) {

    /**
     * Validates and copies the fields.
     *
     * @param imageId see the record description
     * @param split see the record description
     * @param captions see the record description
     * @throws IllegalArgumentException if the id is blank or contains a tab, line break or
     *     {@code '#'}, the split is null, or the captions are empty or contain a blank caption or
     *     one with a tab or line break; the message names the image and the caption number
     */
    public ImageCaptions {
        if (imageId == null || imageId.isBlank()) {
            throw new IllegalArgumentException("imageId must not be blank; found '" + imageId + "'");
        }
        if (hasControl(imageId) || imageId.indexOf('#') >= 0 || !imageId.equals(imageId.strip())) {
            throw new IllegalArgumentException("imageId must not contain a tab, line break or '#' "
                    + "nor start or end with a blank; found '" + imageId + "'");
        }
        if (split == null) {
            throw new IllegalArgumentException("split of image " + imageId + " must not be null");
        }
        if (captions == null || captions.isEmpty()) {
            throw new IllegalArgumentException("image " + imageId + " must have at least one caption");
        }
        captions = List.copyOf(captions);
        for (int i = 0; i < captions.size(); i++) {
            String c = captions.get(i);
            if (c.isBlank() || hasControl(c)) {
                throw new IllegalArgumentException("caption #" + i + " of image " + imageId
                        + " must be non-blank without tab or line break; found '" + c + "'");
            }
        }
    }

    /**
     * Returns a copy of this record with another split.
     *
     * @param newSplit the split of the copy
     * @return a record with the same id and captions
     */
    public ImageCaptions withSplit(Split newSplit) {
        return new ImageCaptions(imageId, newSplit, captions);
    }

    private static boolean hasControl(String s) {
        return s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    }
}
