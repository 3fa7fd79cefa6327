package io.captioner.data;

import io.captioner.text.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The captions of a list of images, kept both as written (the references that scores compare
 * against) and as tokens (what a vocabulary counts and encodes): the first named stage of the
 * training pipeline. Immutable.
 *
 * <p>Image {@code i} has the id {@link #imageId(int)}, the raw captions {@link #captions(int)} and,
 * in the same order, their tokens {@link #tokens(int)}.
 */
public final class TokenizedCaptions {

    private final List<String> imageIds;
    private final List<List<String>> captions;
    private final List<List<List<String>>> tokens;

    private TokenizedCaptions(List<String> imageIds, List<List<String>> captions, List<List<List<String>>> tokens) {
        this.imageIds = imageIds;
        this.captions = captions;
        this.tokens = tokens;
    }

    /**
     * Tokenizes every caption of the given images.
     *
     * @param images the images in the order the pipeline will use (for example one split)
     * @param tokenizer the tokenizer
     * @return the tokenized captions, one entry per image in the same order
     */
    public static TokenizedCaptions of(List<ImageCaptions> images, Tokenizer tokenizer) {
        List<String> ids = new ArrayList<>(images.size());
        List<List<String>> raw = new ArrayList<>(images.size());
        List<List<List<String>>> tok = new ArrayList<>(images.size());
        for (ImageCaptions image : images) {
            ids.add(image.imageId());
            raw.add(image.captions());
            List<List<String>> perCaption = new ArrayList<>(image.captions().size());
            for (String c : image.captions()) {
                perCaption.add(List.copyOf(tokenizer.tokenize(c)));
            }
            tok.add(List.copyOf(perCaption));
        }
        return new TokenizedCaptions(List.copyOf(ids), List.copyOf(raw), List.copyOf(tok));
    }

    /**
     * Returns N, the number of images.
     *
     * @return the image count
     */
    public int size() {
        return imageIds.size();
    }

    /**
     * Returns the ids of the images, in order.
     *
     * @return an unmodifiable list of N ids
     */
    public List<String> imageIds() {
        return imageIds;
    }

    /**
     * Returns the id of image {@code i}.
     *
     * @param i the image index, in [0, N)
     * @return its id (for Flickr8k, the file name)
     */
    public String imageId(int i) {
        return imageIds.get(i);
    }

    /**
     * Returns the captions of image {@code i} as written.
     *
     * @param i the image index, in [0, N)
     * @return an unmodifiable list of captions
     */
    public List<String> captions(int i) {
        return captions.get(i);
    }

    /**
     * Returns the tokens of each caption of image {@code i}, in caption order.
     *
     * @param i the image index, in [0, N)
     * @return an unmodifiable list with one token list per caption
     */
    public List<List<String>> tokens(int i) {
        return tokens.get(i);
    }

    /**
     * Returns every caption's tokens, image after image: what a vocabulary is counted from.
     *
     * @return a new list of token lists
     */
    public List<List<String>> allTokens() {
        List<List<String>> out = new ArrayList<>();
        tokens.forEach(out::addAll);
        return out;
    }

    /**
     * Returns the references in the form scores take: image id to its raw captions, in image order.
     *
     * @return a new insertion-ordered map
     */
    public Map<String, List<String>> references() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < imageIds.size(); i++) {
            out.put(imageIds.get(i), captions.get(i));
        }
        return out;
    }

    /**
     * Returns a SHA-256 (lowercase hex) of the image ids and raw captions in order, so that a
     * model's provenance can name exactly the data it was trained on.
     *
     * @return 64 hex digits
     */
    public String digest() {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        for (int i = 0; i < imageIds.size(); i++) {
            md.update(imageIds.get(i).getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\t');
            for (String c : captions.get(i)) {
                md.update(c.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\t');
            }
            md.update((byte) '\n');
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
