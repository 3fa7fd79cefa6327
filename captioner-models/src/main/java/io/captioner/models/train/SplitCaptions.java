package io.captioner.models.train;

import io.captioner.CaptionDecoder;
import io.captioner.search.CaptionSearch;
import io.captioner.search.SearchResult;
import io.captioner.text.Vocabulary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Steps shared by the training jobs ({@link Quickstart}, {@link Flickr8kRecipe}): turning tokenized
 * references into vocabulary ids, and captioning a split's features for scoring.
 */
final class SplitCaptions {

    private SplitCaptions() {}

    /**
     * Maps tokenized references to ids.
     *
     * @param vocabulary the vocabulary (unknown words become {@code <unk>})
     * @param tokens per image, per caption, the tokens
     * @return per image, per caption, the ids (no {@code <start>}/{@code <end>})
     */
    static List<List<int[]>> ids(Vocabulary vocabulary, List<List<List<String>>> tokens) {
        List<List<int[]>> ids = new ArrayList<>(tokens.size());
        for (List<List<String>> image : tokens) {
            List<int[]> encoded = new ArrayList<>(image.size());
            for (List<String> caption : image) {
                encoded.add(vocabulary.encode(caption));
            }
            ids.add(encoded);
        }
        return ids;
    }

    /**
     * Captions every row of a feature matrix with a search and returns the best caption's words.
     *
     * @param search the search (greedy, beam, ...)
     * @param decoder the trained decoder
     * @param vocabulary turns ids into words
     * @param names image names, one per row, in row order
     * @param features {@code [N, D]} feature rows
     * @return image name to caption (words joined by single spaces), in row order
     */
    static Map<String, String> caption(CaptionSearch search, CaptionDecoder decoder, Vocabulary vocabulary,
            List<String> names, float[][] features) {
        List<SearchResult> results = search.decode(decoder, features);
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            out.put(names.get(i), String.join(" ", vocabulary.decode(results.get(i).best().tokenArray())));
        }
        return out;
    }
}
