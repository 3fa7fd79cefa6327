package io.captioner.models.train;

import io.captioner.CaptionDecoder;
import io.captioner.data.EncodedCaptions;
import io.captioner.DecodingOptions;
import io.captioner.eval.Bleu;
import io.captioner.search.CaptionSearch;
import io.captioner.search.SearchResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Corpus BLEU-n (coco-caption's formula, {@link Bleu}) of the captions a search produces for the
 * validation images: the usual per-epoch dev score for early stopping.
 *
 * <p>Captions are compared as token strings: by default each id's decimal form, which gives the
 * same score as words for a fixed vocabulary (rare reference words all become {@code <unk>}'s id);
 * pass the vocabulary's {@code token} method to score actual words. Images are decoded in chunks
 * (at most 256 images, and at most 64 MiB of features) to bound memory. Immutable and thread-safe if the decoder is.
 */
public final class BleuMetric implements ValidationMetric {

    private static final int CHUNK = 256;

    private final int order;
    private final CaptionSearch search;
    private final IntFunction<String> words;

    private BleuMetric(int order, DecodingOptions options, IntFunction<String> words) {
        if (order < 1 || order > Bleu.MAX_N) {
            throw new IllegalArgumentException("order must be in [1, " + Bleu.MAX_N + "], found " + order);
        }
        this.order = order;
        this.search = CaptionSearch.of(options);
        this.words = words;
    }

    /**
     * BLEU-4 of greedy captions of at most {@code maxLength} words, compared by token id.
     *
     * @param maxLength the longest caption the search may produce
     * @return the metric
     */
    public static BleuMetric greedyBleu4(int maxLength) {
        return new BleuMetric(4, DecodingOptions.builder().optMaxLength(maxLength).build(), Integer::toString);
    }

    /**
     * BLEU-n of captions found with the given options, compared through a token-to-text mapping.
     *
     * @param order n, in 1..4
     * @param options the search (greedy, beam or sampling) and its limits
     * @param words maps a token id to its text, e.g. {@code vocabulary::token}
     * @return the metric
     */
    public static BleuMetric of(int order, DecodingOptions options, IntFunction<String> words) {
        return new BleuMetric(order, options, words);
    }

    @Override
    public String name() {
        return "bleu" + order;
    }

    @Override
    public double evaluate(CaptionDecoder decoder, float[][] features, EncodedCaptions references) {
        return evaluate(decoder, FeatureRows.of(features, features.length == 0 ? 1 : features[0].length),
                references);
    }

    /**
     * Scores the captions of the validation images, reading their features one chunk at a time
     * ({@link FeatureRows#chunkSize()} rows, at most 256).
     *
     * @param decoder the decoder in its current state
     * @param features one row per validation image
     * @param references per image, its reference captions as word ids
     * @return corpus BLEU-n
     * @throws IllegalArgumentException if the image counts differ
     */
    @Override
    public double evaluate(CaptionDecoder decoder, FeatureRows features, EncodedCaptions references) {
        int n = features.size();
        if (n != references.size()) {
            throw new IllegalArgumentException("one reference list per image needed: " + n
                    + " images, found " + references.size());
        }
        Map<String, List<String>> hypotheses = new LinkedHashMap<>();
        Map<String, List<List<String>>> refs = new LinkedHashMap<>();
        int size = Math.min(CHUNK, features.chunkSize());
        for (int start = 0; start < n; start += size) {
            float[][] chunk = features.rows(start, Math.min(n, start + size));
            List<SearchResult> results = search.decode(decoder, chunk);
            for (int i = 0; i < results.size(); i++) {
                String id = Integer.toString(start + i);
                hypotheses.put(id, text(results.get(i).best().tokenArray()));
                List<List<String>> r = new ArrayList<>();
                for (int[] ref : references.captions(start + i)) {
                    r.add(text(ref));
                }
                refs.put(id, r);
            }
        }
        return Bleu.score(hypotheses, refs).bleu(order);
    }

    private List<String> text(int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(words.apply(id));
        }
        return out;
    }
}
