package io.captioner.data;

import io.captioner.text.Vocabulary;
import java.util.ArrayList;
import java.util.List;

/**
 * Captions as vocabulary ids, per image: what the trainer batches and validation metrics compare.
 * Ids exclude {@code <start>} and {@code <end>}; words outside the vocabulary are {@code <unk>}.
 * Immutable: the id arrays are copied in and must not be changed through {@link #caption(int, int)}.
 */
public final class EncodedCaptions {

    private final List<List<int[]>> ids;

    private EncodedCaptions(List<List<int[]>> ids) {
        this.ids = ids;
    }

    /**
     * Encodes tokenized captions with a vocabulary.
     *
     * @param captions the tokenized captions
     * @param vocabulary the vocabulary
     * @return one list of id arrays per image, in the same order
     */
    public static EncodedCaptions encode(TokenizedCaptions captions, Vocabulary vocabulary) {
        List<List<int[]>> out = new ArrayList<>(captions.size());
        for (int i = 0; i < captions.size(); i++) {
            List<int[]> image = new ArrayList<>();
            for (List<String> caption : captions.tokens(i)) {
                image.add(vocabulary.encode(caption));
            }
            out.add(List.copyOf(image));
        }
        return new EncodedCaptions(List.copyOf(out));
    }

    /**
     * Wraps id arrays given directly (tests, or captions encoded elsewhere).
     *
     * @param ids per image, per caption, the word ids
     * @return the encoded captions (the arrays are copied)
     * @throws IllegalArgumentException naming the first image without captions
     */
    public static EncodedCaptions of(List<List<int[]>> ids) {
        List<List<int[]>> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            List<int[]> image = ids.get(i);
            if (image == null || image.isEmpty()) {
                throw new IllegalArgumentException("captions[" + i + "] must hold at least one caption");
            }
            List<int[]> copy = new ArrayList<>(image.size());
            for (int[] c : image) {
                copy.add(c.clone());
            }
            out.add(List.copyOf(copy));
        }
        return new EncodedCaptions(List.copyOf(out));
    }

    /**
     * Returns N, the number of images.
     *
     * @return the image count
     */
    public int size() {
        return ids.size();
    }

    /**
     * Returns the number of captions of image {@code i}.
     *
     * @param i the image index
     * @return its caption count
     */
    public int captionCount(int i) {
        return ids.get(i).size();
    }

    /**
     * Returns caption {@code j} of image {@code i}.
     *
     * @param i the image index
     * @param j the caption index
     * @return its word ids (shared, do not modify)
     */
    public int[] caption(int i, int j) {
        return ids.get(i).get(j);
    }

    /**
     * Returns the captions of image {@code i}.
     *
     * @param i the image index
     * @return an unmodifiable list of id arrays (shared, do not modify)
     */
    public List<int[]> captions(int i) {
        return ids.get(i);
    }

    /**
     * Returns the total number of (image, caption) pairs.
     *
     * @return the sample count
     */
    public int sampleCount() {
        int n = 0;
        for (List<int[]> c : ids) {
            n += c.size();
        }
        return n;
    }
}
